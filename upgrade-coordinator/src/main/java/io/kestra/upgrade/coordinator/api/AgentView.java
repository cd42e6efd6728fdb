package io.kestra.upgrade.coordinator.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.coordinator.fleet.AgentRecord;
import java.time.Instant;

/**
 * An agent as {@code GET /api/v1/agents} shows it: its last heartbeat, and what the coordinator
 * adds.
 *
 * @param heartbeat what the agent last said of itself and its server
 * @param lastSeen when the coordinator last accepted a message of it; absent if it never did
 * @param firstSeen when the coordinator first heard of it
 * @param lost whether it has been silent for too long
 * @param status LOST when the agent is silent for too long, else the component's state
 * @param clockOffsetMs the agent's clock minus the coordinator's at its last heartbeat (delivery
 *     delay included), in milliseconds
 * @param refusal why the coordinator refuses the agent's latest messages (contract version,
 *     signature), absent when it does not
 * @param refusedAt when it last refused one
 */
public record AgentView(
    @JsonUnwrapped Heartbeat heartbeat,
    Instant lastSeen,
    Instant firstSeen,
    boolean lost,
    String status,
    Long clockOffsetMs,
    String refusal,
    Instant refusedAt) {

  static AgentView of(AgentRecord agent, boolean lost) {
    return new AgentView(
        agent.heartbeat(),
        // an agent known only from refused messages was never seen
        agent.lastSeenAt().equals(Instant.EPOCH) ? null : agent.lastSeenAt(),
        agent.firstSeenAt(),
        lost,
        lost ? "LOST" : agent.heartbeat().component().state().name(),
        agent.clockOffset() == null ? null : agent.clockOffset().toMillis(),
        agent.refusal(),
        agent.refusedAt());
  }
}
