package io.kestra.upgrade.coordinator.fleet;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * An agent as the registry last heard of it.
 *
 * @param agentId {@code <cluster>/<kind>/<instance>}
 * @param cluster cluster
 * @param kind kind of server
 * @param instance instance name
 * @param agentVersion the agent's own version
 * @param componentVersion the Kestra version of the server
 * @param componentState the server's state
 * @param ready whether the server reported ready
 * @param inFlightTasks task runs running on the server
 * @param driver the agent's driver
 * @param capabilities the agent's capabilities
 * @param currentCommandId the command the agent is executing, or {@code null}
 * @param heartbeatAt when the agent sent its last heartbeat (agent's clock)
 * @param lastSeenAt when the coordinator received it (coordinator's clock: LOST is judged on this
 *     one)
 * @param firstSeenAt when the coordinator first heard of the agent
 */
public record AgentRecord(
    String agentId,
    String cluster,
    ComponentKind kind,
    String instance,
    String agentVersion,
    String componentVersion,
    ComponentState componentState,
    boolean ready,
    int inFlightTasks,
    String driver,
    Set<Capability> capabilities,
    String currentCommandId,
    Instant heartbeatAt,
    Instant lastSeenAt,
    Instant firstSeenAt) {

  /** Whether the agent has been silent longer than {@code lostAfter} at {@code now}. */
  public boolean isLostAt(Instant now, Duration lostAfter) {
    return lastSeenAt.plus(lostAfter).isBefore(now);
  }
}
