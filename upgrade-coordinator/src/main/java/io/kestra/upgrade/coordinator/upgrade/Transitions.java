package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.coordinator.metrics.UpgradeMetrics;
import io.kestra.upgrade.coordinator.upgrade.engine.Effects;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeMachine;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.kestra.upgrade.coordinator.upgrade.store.UpgradeRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Applies the state machine's transitions in the caller's transaction: the upgrade is loaded under
 * its row lock, changed by the machine, and stored with the commands and events the change causes.
 * Each method says whether anything was written, so that the caller wakes the relay after its
 * commit.
 */
@ApplicationScoped
public class Transitions {

  private static final Logger LOG = Logger.getLogger(Transitions.class);

  private final UpgradeRepository repository;
  private final EffectsWriter effects;
  private final UpgradeMachine machine;
  private final UpgradeMetrics metrics;

  public Transitions(
      UpgradeRepository repository,
      EffectsWriter effects,
      UpgradeMachine machine,
      UpgradeMetrics metrics) {
    this.repository = repository;
    this.effects = effects;
    this.machine = machine;
    this.metrics = metrics;
  }

  /** Inserts a new upgrade and starts it. */
  public void start(Connection c, UpgradeRun run, Instant now) throws SQLException {
    repository.insert(c, run, now);
    store(c, run, machine.start(run, now), now);
  }

  /** Applies an ack to the upgrade that sent its command. */
  public boolean onAck(Connection c, String upgradeId, Ack ack, Instant now) throws SQLException {
    UpgradeRun run = repository.lock(c, upgradeId).orElseThrow();
    return store(c, run, machine.onAck(run, ack, now), now);
  }

  /** Times out the late steps of an upgrade and fails those of LOST agents. */
  public boolean onSweep(Connection c, String upgradeId, Set<String> lostAgents, Instant now)
      throws SQLException {
    UpgradeRun run = repository.lock(c, upgradeId).orElseThrow();
    return store(c, run, machine.onSweep(run, lostAgents, now), now);
  }

  /** Fails the step whose command the broker refused for good; no such upgrade, no change. */
  public boolean onCommandUndeliverable(
      Connection c, String upgradeId, String commandId, String why, Instant now)
      throws SQLException {
    Optional<UpgradeRun> run = repository.lock(c, upgradeId);
    return run.isPresent()
        && store(c, run.get(), machine.onCommandUndeliverable(run.get(), commandId, why, now), now);
  }

  /**
   * Says, with an event, that the broker refused an event of the upgrade for good; no such upgrade,
   * no change.
   */
  public boolean onEventRefused(
      Connection c, String upgradeId, long rowId, String eventType, String why, Instant now)
      throws SQLException {
    Optional<UpgradeRun> run = repository.lock(c, upgradeId);
    return run.isPresent()
        && store(c, run.get(), machine.onEventRefused(run.get(), rowId, eventType, why, now), now);
  }

  /**
   * Applies an operator's control to the upgrade {@code upgradeId}: the upgrade then, or empty when
   * there is none.
   *
   * @throws io.kestra.upgrade.coordinator.upgrade.engine.ControlRefusedException when its state
   *     forbids the control
   */
  public Optional<UpgradeRun> onControl(
      Connection c, String upgradeId, OperatorControl control, Instant now) throws SQLException {
    Optional<UpgradeRun> found = repository.lock(c, upgradeId);
    if (found.isEmpty()) {
      return found;
    }
    UpgradeRun run = found.get();
    Effects fx =
        switch (control.kind()) {
          case PAUSE -> machine.pause(run, control.who(), now);
          case RESUME -> machine.resume(run, control.who(), now);
          case ABORT -> machine.abort(run, control.who(), now);
          case ROLLBACK -> machine.rollback(run, control.restore(), control.who(), now);
        };
    store(c, run, fx, now);
    return found;
  }

  private boolean store(Connection c, UpgradeRun run, Effects fx, Instant now) throws SQLException {
    boolean changed = run.hasChanges() || !fx.isEmpty();
    boolean endedNow = run.isDirty() && run.state().isTerminal();
    repository.save(c, run, now);
    effects.write(c, fx, now);
    metrics.observe(run, fx, now);
    if (endedNow) {
      String message = run.status().message();
      LOG.infof(
          "upgrade %s ended %s%s",
          run.describe(), run.state(), message == null ? "" : ": " + message);
    }
    return changed;
  }
}
