package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import java.util.Set;

/**
 * One agent of the cluster as the fleet registry last saw it: the planner's only view of the world.
 *
 * @param agentId {@code <cluster>/<kind>/<instance>}
 * @param kind the kind of server beside the agent
 * @param instance the instance name
 * @param version the Kestra version reported, or {@code null}
 * @param ready whether the server reported ready
 * @param lost whether the agent has been silent for too long
 * @param capabilities what the agent can do besides start and stop
 */
public record FleetMember(
    String agentId,
    ComponentKind kind,
    String instance,
    String version,
    boolean ready,
    boolean lost,
    Set<Capability> capabilities) {

  public FleetMember {
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
  }
}
