package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import io.kestra.upgrade.coordinator.outbox.OutboxRelay;
import io.kestra.upgrade.coordinator.upgrade.store.StepStore;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The periodic sweep: times out late steps and fails the steps of LOST agents, in every upgrade
 * with a command out, each upgrade in its own transaction.
 */
@ApplicationScoped
public class DeadlineSweep {

  private static final Logger LOG = Logger.getLogger(DeadlineSweep.class);

  private final Tx tx;
  private final StepStore steps;
  private final Transitions transitions;
  private final FleetService fleet;
  private final OutboxRelay relay;
  private final Clock clock;

  public DeadlineSweep(
      Tx tx,
      StepStore steps,
      Transitions transitions,
      FleetService fleet,
      OutboxRelay relay,
      Clock clock) {
    this.tx = tx;
    this.steps = steps;
    this.transitions = transitions;
    this.fleet = fleet;
    this.relay = relay;
    this.clock = clock;
  }

  @Scheduled(
      every = "${coordinator.sweep-interval:PT1S}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void tick() {
    try {
      sweep();
    } catch (RuntimeException e) {
      // the next tick tries again; a database outage must not stop the schedule
      LOG.warn("deadline sweep failed", e);
    }
  }

  /** One sweep over every upgrade with a command out. */
  public void sweep() {
    List<String> ids = tx.run(steps::upgradesWithStepsInFlight);
    if (ids.isEmpty()) {
      // the usual case between upgrades: no need to read the fleet every tick
      return;
    }
    Set<String> lost = fleet.lostAgentIds();
    boolean changed = false;
    for (String id : ids) {
      Instant now = clock.instant();
      changed |= tx.run(c -> transitions.onSweep(c, id, lost, now));
    }
    if (changed) {
      relay.wake();
    }
  }
}
