package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.kestra.upgrade.coordinator.upgrade.store.EventHistory;
import io.kestra.upgrade.coordinator.upgrade.store.UpgradeRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Reads upgrades and their history, for the API. */
@ApplicationScoped
public class UpgradeQueries {

  private final Tx tx;
  private final UpgradeRepository repository;
  private final EventHistory history;

  public UpgradeQueries(Tx tx, UpgradeRepository repository, EventHistory history) {
    this.tx = tx;
    this.repository = repository;
    this.history = history;
  }

  /** Upgrades, newest first. */
  public List<UpgradeRun> list(String cluster, int limit) {
    return tx.run(c -> repository.list(c, cluster, limit));
  }

  /** One upgrade. */
  public Optional<UpgradeRun> find(String id) {
    return tx.run(c -> repository.find(c, id));
  }

  /**
   * At most {@code limit} events of an upgrade after the one numbered {@code afterSeq}, in order.
   */
  public EventHistory.Page events(String id, long afterSeq, int limit) {
    return tx.run(c -> history.page(c, id, afterSeq, limit));
  }

  /** {@link EventHistory#after}, in a transaction of its own. */
  public List<EventHistory.Entry> eventsAfter(
      String upgradeId, String cluster, long afterSeq, int limit) {
    return tx.run(c -> history.after(c, upgradeId, cluster, afterSeq, limit));
  }

  /** The highest event {@code seq} so far: where a stream of what comes next starts. */
  public long lastEventSeq() {
    return tx.run(history::lastSeq);
  }
}
