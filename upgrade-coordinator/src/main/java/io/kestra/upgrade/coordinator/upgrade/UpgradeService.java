package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.db.DataAccessException;
import io.kestra.upgrade.coordinator.db.Rows;
import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import io.kestra.upgrade.coordinator.outbox.OutboxRelay;
import io.kestra.upgrade.coordinator.upgrade.engine.Effects;
import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeMachine;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.kestra.upgrade.coordinator.upgrade.plan.Plan;
import io.kestra.upgrade.coordinator.upgrade.plan.Planner;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs the state machine against the database: every transition is loaded, applied and stored with
 * the commands and events it causes in one transaction, under a lock on the upgrade's row; the
 * relay is woken after the commit.
 */
@ApplicationScoped
public class UpgradeService {

  private static final Logger LOG = Logger.getLogger(UpgradeService.class);
  private static final String ACK_CONSUMER = "acks";

  private final Tx tx;
  private final UpgradeStore store;
  private final EffectsWriter effectsWriter;
  private final FleetService fleet;
  private final Planner planner;
  private final UpgradeMachine machine;
  private final OutboxRelay relay;
  private final Clock clock;

  public UpgradeService(
      Tx tx,
      UpgradeStore store,
      EffectsWriter effectsWriter,
      FleetService fleet,
      Planner planner,
      UpgradeMachine machine,
      OutboxRelay relay,
      Clock clock) {
    this.tx = tx;
    this.store = store;
    this.effectsWriter = effectsWriter;
    this.fleet = fleet;
    this.planner = planner;
    this.machine = machine;
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
        request.options());
  }

  /**
   * Starts an upgrade.
   *
   * @throws ActiveUpgradeException when the cluster has an upgrade that is not over
   * @throws PreflightRefusedException when preflight refuses
   */
  public UpgradeRun start(UpgradeRequest request) {
    tx.run(c -> store.activeUpgradeOf(c, request.cluster()))
        .ifPresent(
            id -> {
              throw new ActiveUpgradeException(request.cluster(), id);
            });
    Plan plan = plan(request);
    if (!plan.isExecutable()) {
      throw new PreflightRefusedException(plan);
    }
    Instant now = clock.instant();
    UpgradeRun run = newRun(request, plan, now);
    try {
      tx.run(
          c -> {
            store.insert(c, run, now);
            Effects effects = machine.start(run, now);
            store.save(c, run, now);
            effectsWriter.write(c, effects, now);
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
        "upgrade %s of %s started: %s → %s, %d steps",
        run.id(), run.cluster(), run.fromVersion(), run.toVersion(), run.steps().size());
    return run;
  }

  /** Applies an agent's ack, once: a message already applied is recognised by its messageId. */
  public void applyAck(Ack ack) {
    Instant now = clock.instant();
    boolean changed =
        tx.run(
            c -> {
              if (!firstTime(c, ack.messageId(), now)) {
                return false;
              }
              fleet.observe(c, ack, now);
              Optional<String> upgradeId = store.upgradeOfCommand(c, ack.commandId());
              if (upgradeId.isEmpty()) {
                LOG.debugf(
                    "ack %s for unknown command %s from %s ignored",
                    ack.messageId(), ack.commandId(), ack.agentId());
                return false;
              }
              UpgradeRun run = store.lock(c, upgradeId.get()).orElseThrow();
              return apply(c, run, machine.onAck(run, ack, now), now);
            });
    if (changed) {
      relay.wake();
    }
  }

  /**
   * Times out late steps and fails the steps of LOST agents, in every upgrade with a command out.
   */
  public void sweep() {
    List<String> ids = tx.run(store::withStepsInFlight);
    if (ids.isEmpty()) {
      // the usual case between upgrades: no need to read the fleet every tick
      return;
    }
    Set<String> lost = fleet.lostAgentIds();
    boolean changed = false;
    for (String id : ids) {
      Instant now = clock.instant();
      changed |=
          tx.run(
              c -> {
                UpgradeRun run = store.lock(c, id).orElseThrow();
                return apply(c, run, machine.onSweep(run, lost, now), now);
              });
    }
    if (changed) {
      relay.wake();
    }
  }

  /** Upgrades, newest first. */
  public List<UpgradeRun> list(String cluster, int limit) {
    return tx.run(c -> store.list(c, cluster, limit));
  }

  /** One upgrade. */
  public Optional<UpgradeRun> find(String id) {
    return tx.run(c -> store.find(c, id));
  }

  /** The events of an upgrade, in order. */
  public List<UpgradeStore.EventRow> events(String id) {
    return tx.run(c -> store.events(c, id));
  }

  private boolean apply(Connection c, UpgradeRun run, Effects effects, Instant now)
      throws SQLException {
    boolean dirty = run.isDirty() || run.steps().stream().anyMatch(StepRun::isDirty);
    boolean endedNow = run.isDirty() && run.state().isTerminal();
    store.save(c, run, now);
    effectsWriter.write(c, effects, now);
    if (endedNow) {
      LOG.infof(
          "upgrade %s of %s ended %s%s",
          run.id(), run.cluster(), run.state(), run.message() == null ? "" : ": " + run.message());
    }
    return dirty || !effects.isEmpty();
  }

  private static boolean firstTime(Connection c, String messageId, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO processed_message (message_id, consumer, processed_at) VALUES (?,?,?)"
                + " ON CONFLICT (message_id) DO NOTHING")) {
      ps.setString(1, messageId);
      ps.setString(2, ACK_CONSUMER);
      Rows.setInstant(ps, 3, now);
      return ps.executeUpdate() == 1;
    }
  }

  private static UpgradeRun newRun(UpgradeRequest request, Plan plan, Instant now) {
    List<StepRun> steps =
        plan.steps().stream().map(p -> StepRun.planned(UUID.randomUUID().toString(), p)).toList();
    return new UpgradeRun(
        UUID.randomUUID().toString(),
        request.cluster(),
        request.strategy(),
        plan.fromVersion().toString(),
        plan.toVersion().toString(),
        request.options(),
        now,
        UpgradeState.PENDING,
        steps);
  }
}
