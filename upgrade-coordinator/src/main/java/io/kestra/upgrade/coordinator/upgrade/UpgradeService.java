package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.db.DataAccessException;
import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import io.kestra.upgrade.coordinator.outbox.OutboxRelay;
import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeSpec;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeStatus;
import io.kestra.upgrade.coordinator.upgrade.plan.ClusterHistory;
import io.kestra.upgrade.coordinator.upgrade.plan.Plan;
import io.kestra.upgrade.coordinator.upgrade.plan.Planner;
import io.kestra.upgrade.coordinator.upgrade.plan.RestorableUpgrade;
import io.kestra.upgrade.coordinator.upgrade.store.StepStore;
import io.kestra.upgrade.coordinator.upgrade.store.UpgradeStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Plans upgrades, and starts them: the first transition, in one transaction with the insert. */
@ApplicationScoped
public class UpgradeService {

  private static final Logger LOG = Logger.getLogger(UpgradeService.class);

  private final Tx tx;
  private final UpgradeStore upgrades;
  private final StepStore steps;
  private final Transitions transitions;
  private final FleetService fleet;
  private final Planner planner;
  private final OutboxRelay relay;
  private final Clock clock;

  public UpgradeService(
      Tx tx,
      UpgradeStore upgrades,
      StepStore steps,
      Transitions transitions,
      FleetService fleet,
      Planner planner,
      OutboxRelay relay,
      Clock clock) {
    this.tx = tx;
    this.upgrades = upgrades;
    this.steps = steps;
    this.transitions = transitions;
    this.fleet = fleet;
    this.planner = planner;
    this.relay = relay;
    this.clock = clock;
  }

  /** What the upgrade would do, and what preflight finds; nothing is executed. */
  public Plan plan(UpgradeRequest request) {
    return planner.plan(
        request.cluster(),
        fleet.members(request.cluster()),
        request.target(),
        request.strategy(),
        request.options(),
        tx.run(c -> history(c, request.cluster())));
  }

  /** What the planner needs of the cluster's earlier upgrades, read in one transaction. */
  private ClusterHistory history(java.sql.Connection c, String cluster)
      throws java.sql.SQLException {
    return new ClusterHistory(restorable(c, cluster), steps.history(c, cluster));
  }

  /** The cluster's last upgrade, if it SUCCEEDED with a backup: what a downgrade restores. */
  private java.util.Optional<RestorableUpgrade> restorable(java.sql.Connection c, String cluster)
      throws java.sql.SQLException {
    return upgrades.list(c, cluster, 1).stream()
        .findFirst()
        .filter(r -> r.status().state() == UpgradeState.SUCCEEDED)
        .filter(r -> r.status().backupId() != null)
        .map(
            r ->
                new RestorableUpgrade(
                    r.spec().id(),
                    KestraVersion.parse(r.spec().fromVersion()),
                    KestraVersion.parse(r.spec().toVersion()),
                    r.status().backupId()));
  }

  /**
   * Starts an upgrade. An allowed downgrade is carried out as the rollback with a restore of the
   * cluster's last upgrade (whose backup was taken on the target), which is then returned.
   *
   * @param who the operator who asks
   * @throws ActiveUpgradeException when the cluster has an upgrade that is not over
   * @throws PreflightRefusedException when preflight refuses
   */
  public UpgradeRun start(UpgradeRequest request, String who) {
    tx.run(c -> upgrades.activeUpgradeOf(c, request.cluster()))
        .ifPresent(
            id -> {
              throw new ActiveUpgradeException(request.cluster(), id);
            });
    Plan plan = plan(request);
    if (!plan.isExecutable()) {
      throw new PreflightRefusedException(plan);
    }
    if (plan.restoreOf() != null) {
      LOG.infof(
          "downgrade of %s to %s asked by %s: rolling back upgrade %s with its backup",
          request.cluster(), plan.toVersion(), who, plan.restoreOf());
      return control(
              plan.restoreOf(),
              new OperatorControl(OperatorControl.Kind.ROLLBACK, true, who + " (a downgrade)"))
          .orElseThrow(() -> new IllegalStateException("upgrade " + plan.restoreOf() + " is gone"));
    }
    Instant now = clock.instant();
    UpgradeRun run = newRun(request, plan, now);
    try {
      tx.run(
          c -> {
            transitions.start(c, run, now);
            return null;
          });
    } catch (DataAccessException e) {
      if (e.isUniqueViolation()) {
        // another request won the race between the check above and this insert
        throw new ActiveUpgradeException(request.cluster(), null);
      }
      throw e;
    }
    relay.wake();
    LOG.infof(
        "upgrade %s started: %s → %s, %d steps",
        run.describe(), run.spec().fromVersion(), run.spec().toVersion(), run.steps().size());
    return run;
  }

  /**
   * Applies an operator's control to an upgrade, in one transaction under its row lock: two
   * controls at once are applied one after the other, the second to the state the first left.
   *
   * @return the upgrade then, or empty when there is no such upgrade
   * @throws io.kestra.upgrade.coordinator.upgrade.engine.ControlRefusedException when its state
   *     forbids the control
   * @throws ActiveUpgradeException when a rollback would make the upgrade active again while the
   *     cluster has another active upgrade
   */
  public java.util.Optional<UpgradeRun> control(String id, OperatorControl control) {
    Instant now = clock.instant();
    java.util.Optional<UpgradeRun> run;
    try {
      run = tx.run(c -> transitions.onControl(c, id, control, now));
    } catch (DataAccessException e) {
      if (e.isUniqueViolation()) {
        throw new ActiveUpgradeException(
            tx.run(c -> upgrades.find(c, id, false)).map(r -> r.spec().cluster()).orElse("?"),
            null);
      }
      throw e;
    }
    run.ifPresent(
        r -> {
          relay.wake();
          LOG.infof(
              "upgrade %s: %s by %s, now %s",
              r.describe(), control.kind(), control.who(), r.state());
        });
    return run;
  }

  private static UpgradeRun newRun(UpgradeRequest request, Plan plan, Instant now) {
    List<StepRun> steps =
        plan.steps().stream().map(p -> StepRun.planned(UUID.randomUUID().toString(), p)).toList();
    UpgradeSpec spec =
        new UpgradeSpec(
            UUID.randomUUID().toString(),
            request.cluster(),
            request.strategy(),
            plan.fromVersion().toString(),
            plan.toVersion().toString(),
            request.options(),
            now);
    return new UpgradeRun(spec, UpgradeStatus.pending(), steps);
  }
}
