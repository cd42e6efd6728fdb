package io.kestra.upgrade.coordinator.upgrade.store;

import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads and stores whole upgrades (the aggregate: the upgrade's row and its steps). Every method
 * runs in the caller's transaction.
 */
@ApplicationScoped
public class UpgradeRepository {

  private final UpgradeStore upgrades;
  private final StepStore steps;

  public UpgradeRepository(UpgradeStore upgrades, StepStore steps) {
    this.upgrades = upgrades;
    this.steps = steps;
  }

  /** Inserts a new upgrade with its steps. */
  public void insert(Connection c, UpgradeRun run, Instant now) throws SQLException {
    upgrades.insert(c, run.spec(), run.status(), now);
    run.clean();
    steps.insert(c, run.id(), run.steps());
  }

  /** Writes what changed in the upgrade and its steps, inserting the steps added. */
  public void save(Connection c, UpgradeRun run, Instant now) throws SQLException {
    if (run.isDirty()) {
      upgrades.update(c, run.id(), run.status(), now);
      run.clean();
    }
    List<StepRun> added = run.steps().stream().filter(StepRun::isAdded).toList();
    if (!added.isEmpty()) {
      steps.insert(c, run.id(), added);
      added.forEach(StepRun::inserted);
    }
    steps.update(c, run.steps());
  }

  /**
   * Loads an upgrade, locking its row until the transaction ends. The row is locked before the
   * steps are read: steps read before the lock is granted could be stale by then.
   */
  public Optional<UpgradeRun> lock(Connection c, String id) throws SQLException {
    return load(c, id, true);
  }

  /** Loads an upgrade without locking it. */
  public Optional<UpgradeRun> find(Connection c, String id) throws SQLException {
    return load(c, id, false);
  }

  /** Upgrades, newest first, optionally of one cluster; their steps are read in one query. */
  public List<UpgradeRun> list(Connection c, String cluster, int limit) throws SQLException {
    return withSteps(c, upgrades.list(c, cluster, limit));
  }

  private List<UpgradeRun> withSteps(Connection c, List<UpgradeStore.Row> rows)
      throws SQLException {
    Map<String, List<StepRun>> all =
        steps.stepsOf(c, rows.stream().map(r -> r.spec().id()).toList());
    return rows.stream()
        .map(r -> new UpgradeRun(r.spec(), r.status(), all.getOrDefault(r.spec().id(), List.of())))
        .toList();
  }

  /** Every upgrade that is not over, with its steps, read in one query. */
  public List<UpgradeRun> active(Connection c) throws SQLException {
    return withSteps(c, upgrades.active(c));
  }

  private Optional<UpgradeRun> load(Connection c, String id, boolean lock) throws SQLException {
    Optional<UpgradeStore.Row> row = upgrades.find(c, id, lock);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new UpgradeRun(
            row.get().spec(),
            row.get().status(),
            steps.stepsOf(c, List.of(id)).getOrDefault(id, List.of())));
  }
}
