package io.kestra.upgrade.coordinator.fleet;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.upgrade.plan.FleetMember;
import io.kestra.upgrade.coordinator.upgrade.store.UpgradeStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The fleet registry: what every agent last said of itself, and which agents are LOST (silent for
 * {@code lost-after-intervals} heartbeat intervals, judged on the coordinator's clock). A retired
 * agent can be forgotten ({@link #forget}).
 */
@ApplicationScoped
public class FleetService {

  private static final Logger LOG = Logger.getLogger(FleetService.class);

  private final Timer heartbeatLag;

  private final Tx tx;
  private final AgentStore store;
  private final UpgradeStore upgrades;
  private final Clock clock;
  private final Duration lostAfter;

  public FleetService(
      Tx tx,
      AgentStore store,
      UpgradeStore upgrades,
      Clock clock,
      CoordinatorConfig config,
      MeterRegistry registry) {
    this.heartbeatLag =
        Timer.builder("kestra.upgrade.heartbeat.lag")
            .description(
                "From a heartbeat's sending (the agent's clock) to its receipt by the coordinator")
            .register(registry);
    this.tx = tx;
    this.store = store;
    this.upgrades = upgrades;
    this.clock = clock;
    this.lostAfter =
        config.fleet().heartbeatInterval().multipliedBy(config.fleet().lostAfterIntervals());
  }

  /** Records a heartbeat as received now, with how far the agent's clock is from ours. */
  public void record(Heartbeat heartbeat) {
    Instant now = clock.instant();
    Duration lag = Duration.between(heartbeat.at(), now);
    // an agent's clock ahead of ours makes it negative: no lag to speak of
    heartbeatLag.record(lag.isNegative() ? Duration.ZERO : lag);
    tx.run(
        c -> {
          store.upsert(c, heartbeat, now, Duration.between(now, heartbeat.at()));
          return null;
        });
  }

  /**
   * Records that an agent's message was refused and why (see {@link AgentStore#refuse}).
   *
   * @param refused the refused heartbeat, or {@code null} when the refused message was an ack
   */
  public void refuse(String agentId, Heartbeat refused, String why) {
    Instant now = clock.instant();
    tx.run(
        c -> {
          store.refuse(c, agentId, refused, why, now);
          return null;
        });
  }

  /**
   * Records, in the caller's transaction, what an ack says of its agent's server when it is fresher
   * than the last heartbeat (a server that just became ready). A PROGRESS ack must be strictly
   * fresher: it is not in the message log, and a replay of the last one must not count as a sign of
   * life.
   */
  public void observe(Connection c, Ack ack, Instant receivedAt) throws SQLException {
    if (ack.observed().state() == ComponentState.UNKNOWN) {
      return;
    }
    var known = store.lock(c, ack.agentId());
    if (known.isEmpty()) {
      return;
    }
    Instant last = known.get().heartbeat().at();
    boolean fresher =
        ack.status() == AckStatus.PROGRESS ? last.isBefore(ack.at()) : !last.isAfter(ack.at());
    if (fresher) {
      store.upsert(
          c, known.get().heartbeat().withComponent(ack.observed(), ack.at()), receivedAt, null);
    }
  }

  /**
   * Forgets a retired agent: it is no longer listed, and no longer counts in its cluster's
   * preflight (a LOST agent blocks it). Forgetting is not forbidding: an agent that sends a
   * heartbeat again is registered again.
   *
   * @return whether the agent was known
   * @throws AgentBusyException while an upgrade that is not over has a step for the agent: that
   *     upgrade may still send it commands
   */
  public boolean forget(AgentId agentId) {
    String id = agentId.toString();
    boolean forgotten =
        tx.run(
            c -> {
              Optional<String> busy = upgrades.activeUpgradeWithStepFor(c, id);
              if (busy.isPresent()) {
                throw new AgentBusyException(agentId, busy.get());
              }
              return store.delete(c, id);
            });
    if (forgotten) {
      LOG.infof("agent %s forgotten: it is registered again if it sends a heartbeat", id);
    }
    return forgotten;
  }

  /** Agents of a cluster (every cluster when null), by id. */
  public List<AgentRecord> agents(String cluster) {
    return tx.run(c -> store.list(c, cluster));
  }

  /** Whether the agent is LOST now. */
  public boolean isLost(AgentRecord agent) {
    return agent.isLostAt(clock.instant(), lostAfter);
  }

  /** The planner's view of a cluster, now. */
  public List<FleetMember> members(String cluster) {
    Instant now = clock.instant();
    return agents(cluster).stream().map(a -> a.asMemberAt(now, lostAfter)).toList();
  }

  /** Ids of every LOST agent. */
  public Set<String> lostAgentIds() {
    return agents(null).stream()
        .filter(this::isLost)
        .map(a -> a.heartbeat().agentId())
        .collect(Collectors.toSet());
  }
}
