package io.kestra.upgrade.coordinator.fleet;

import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.coordinator.upgrade.plan.FleetMember;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent as the registry knows it: its last heartbeat (freshened by what its acks observed), and
 * what the coordinator adds — when it heard of the agent, on its own clock.
 *
 * @param heartbeat what the agent last said of itself and its server
 * @param lastSeenAt when the coordinator last received a message of the agent (LOST is judged on
 *     this, never on the agent's clock)
 * @param firstSeenAt when the coordinator first heard of the agent
 */
public record AgentRecord(Heartbeat heartbeat, Instant lastSeenAt, Instant firstSeenAt) {

  public AgentRecord {
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    Objects.requireNonNull(firstSeenAt, "firstSeenAt");
  }

  /** Whether the agent has been silent longer than {@code lostAfter} at {@code now}. */
  public boolean isLostAt(Instant now, Duration lostAfter) {
    return lastSeenAt.plus(lostAfter).isBefore(now);
  }

  /** The planner's view of the agent at {@code now}. */
  public FleetMember asMemberAt(Instant now, Duration lostAfter) {
    return new FleetMember(heartbeat, isLostAt(now, lostAfter));
  }
}
