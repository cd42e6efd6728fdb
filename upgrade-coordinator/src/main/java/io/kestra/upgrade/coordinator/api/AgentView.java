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
 * @param lastSeen when the coordinator last heard of it
 * @param firstSeen when the coordinator first heard of it
 * @param lost whether it has been silent for too long
 * @param status LOST when the agent is silent for too long, else the component's state
 */
public record AgentView(
    @JsonUnwrapped Heartbeat heartbeat,
    Instant lastSeen,
    Instant firstSeen,
    boolean lost,
    String status) {

  static AgentView of(AgentRecord agent, boolean lost) {
    return new AgentView(
        agent.heartbeat(),
        agent.lastSeenAt(),
        agent.firstSeenAt(),
        lost,
        lost ? "LOST" : agent.heartbeat().component().state().name());
  }
}
