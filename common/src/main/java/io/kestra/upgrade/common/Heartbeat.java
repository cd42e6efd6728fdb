package io.kestra.upgrade.common;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An agent's periodic report (default every 2 s) on {@link Topics#heartbeats()}, a compacted topic
 * keyed by agentId. An agent silent for 5 intervals is LOST.
 *
 * @param schemaVersion contract version, {@link Message#SCHEMA_VERSION}
 * @param messageId unique id of this message
 * @param agentId {@code <cluster>/<kind>/<instance>}
 * @param cluster the cluster part of the agentId
 * @param kind the kind of server the agent drives
 * @param instance the instance part of the agentId
 * @param agentVersion the agent's own version
 * @param componentVersion the Kestra version of the component (the one running, or the one that ran
 *     last when it is stopped); {@code null} when the agent has never known one
 * @param componentState the component's state
 * @param ready whether {@code /health/readiness} answered UP at the last probe
 * @param inFlightTasks task runs running on the component (workers)
 * @param driver the driver in use: {@code process}, {@code docker}, {@code kubernetes}
 * @param capabilities what the agent can do besides start and stop
 * @param currentCommandId the command being executed, or {@code null}
 * @param at when the heartbeat was sent
 */
public record Heartbeat(
    int schemaVersion,
    String messageId,
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
    Instant at)
    implements Message {

  public Heartbeat {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(at, "at");
    componentState = componentState == null ? ComponentState.UNKNOWN : componentState;
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
  }

  @Override
  public String key() {
    return agentId;
  }
}
