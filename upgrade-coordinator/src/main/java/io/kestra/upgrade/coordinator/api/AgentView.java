package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.coordinator.fleet.AgentRecord;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import java.time.Instant;
import java.util.Set;

/**
 * An agent as {@code GET /api/v1/agents} shows it.
 *
 * @param status LOST when the agent is silent for too long, else the component's state
 */
public record AgentView(
    String agentId,
    String cluster,
    ComponentKind kind,
    String instance,
    String agentVersion,
    String version,
    ComponentState state,
    boolean ready,
    int inFlightTasks,
    String driver,
    Set<Capability> capabilities,
    String currentCommandId,
    Instant lastSeen,
    boolean lost,
    String status) {

  static AgentView of(FleetService.AgentStatus s) {
    AgentRecord a = s.agent();
    return new AgentView(
        a.agentId(),
        a.cluster(),
        a.kind(),
        a.instance(),
        a.agentVersion(),
        a.componentVersion(),
        a.componentState(),
        a.ready(),
        a.inFlightTasks(),
        a.driver(),
        a.capabilities(),
        a.currentCommandId(),
        a.lastSeenAt(),
        s.lost(),
        s.lost() ? "LOST" : a.componentState().name());
  }
}
