package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import io.kestra.upgrade.coordinator.leader.LeaderElection;
import io.kestra.upgrade.coordinator.leader.NotLeaderException;
import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import io.kestra.upgrade.coordinator.outage.Judgement;
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
 * The periodic sweep, on the leader only: times out late steps and fails the steps of LOST agents,
 * in every upgrade with a command out, each upgrade in its own fenced transaction (an instance that
 * lost the lead writes nothing).
 *
 * <p>It judges nothing while {@link Judgement} holds: while the database or the broker is out, and
 * for one LOST interval after this instance became leader, got the heartbeats' partitions, or saw
 * an outage end. A sweep that cannot reach the database tells {@link Judgement} so; the next one
 * that can, ends the outage. LOST is judged on when the coordinator received an agent's messages,
 * never on the agent's clock.
 */
@ApplicationScoped
public class DeadlineSweep {

  private static final Logger LOG = Logger.getLogger(DeadlineSweep.class);

  private final Tx tx;
  private final StepStore steps;
  private final Transitions transitions;
  private final FleetService fleet;
  private final OutboxRelay relay;
  private final LeaderElection leader;
  private final Judgement judgement;
  private final Clock clock;

  public DeadlineSweep(
      Tx tx,
      StepStore steps,
      Transitions transitions,
      FleetService fleet,
      OutboxRelay relay,
      LeaderElection leader,
      Judgement judgement,
      Clock clock) {
    this.tx = tx;
    this.steps = steps;
    this.transitions = transitions;
    this.fleet = fleet;
    this.relay = relay;
    this.leader = leader;
    this.judgement = judgement;
    this.clock = clock;
  }

  @Scheduled(
      every = "${coordinator.sweep-interval:PT1S}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void tick() {
    if (!leader.isLeader()) {
      return;
    }
    try {
      sweep();
    } catch (NotLeaderException e) {
      LOG.infof("deadline sweep stopped: %s", e.getMessage());
    } catch (DatabaseUnavailableException e) {
      judgement.databaseFailed();
      LOG.warnf("deadline sweep cannot reach the database: %s", e.getMessage());
    } catch (RuntimeException e) {
      // the next tick tries again
      LOG.error("deadline sweep failed", e);
    }
  }

  /** One sweep over every upgrade with a command out, unless judgement is held. */
  public void sweep() {
    List<String> ids = tx.run(steps::upgradesWithStepsInFlight);
    judgement.databaseAnswered();
    if (ids.isEmpty() || !judgement.mayJudge()) {
      return;
    }
    Set<String> lost = fleet.lostAgentIds();
    boolean changed = false;
    for (String id : ids) {
      Instant now = clock.instant();
      changed |=
          tx.run(
              c -> {
                leader.fence(c);
                return transitions.onSweep(c, id, lost, now);
              });
    }
    if (changed) {
      relay.wake();
    }
  }
}
