package io.kestra.upgrade.coordinator.fleet;

import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.coordinator.upgrade.plan.FleetMember;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An agent as the registry knows it: its last heartbeat (freshened by what its acks observed), and
 * what the coordinator adds — when it heard of the agent, on its own clock, how far the agent's
 * clock is from its own, and why it refused the agent's latest messages, if it did.
 *
 * @param heartbeat what the agent last said of itself and its server (for an agent whose messages
 *     were never accepted: its last refused heartbeat, for display only)
 * @param lastSeenAt when the coordinator last accepted a message of the agent (LOST is judged on
 *     this, never on the agent's clock)
 * @param firstSeenAt when the coordinator first heard of the agent
 * @param clockOffset the agent's clock minus the coordinator's, from its last heartbeat (the
 *     delivery delay included); {@code null} until known
 * @param refusal why the agent's latest messages were refused, or {@code null}
 * @param refusedAt when, or {@code null}
 */
public record AgentRecord(
    Heartbeat heartbeat,
    Instant lastSeenAt,
    Instant firstSeenAt,
    Duration clockOffset,
    String refusal,
    Instant refusedAt) {

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
    return new FleetMember(heartbeat, isLostAt(now, lostAfter), clockOffset, refusal);
  }
}
