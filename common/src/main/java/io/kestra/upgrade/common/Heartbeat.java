package io.kestra.upgrade.common;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * @param driver the driver in use: {@code process}, {@code docker}, {@code kubernetes}
 * @param capabilities what the agent can do besides start and stop
 * @param component the component as the agent sees it now: its Kestra version (the one running, or
 *     the one that ran last when it is stopped; {@code null} when the agent has never known one),
 *     state, readiness ({@code /health/readiness} UP at the last probe) and running task runs
 * @param gracePeriod the {@code kestra.server.terminationGracePeriod} the component is configured
 *     with (Kestra's default, 5 minutes, when its configuration does not set it): how long it
 *     drains on SIGTERM; {@code null} when the agent cannot tell
 * @param currentCommandId the command being executed, or {@code null}
 * @param at when the heartbeat was sent, on the agent's clock (the coordinator judges liveness on
 *     its own clock, from when it received the heartbeat)
 * @param signature HMAC-SHA256 (hex) by the agent's own key over the canonical JSON of the
 *     heartbeat without this field ({@link MessageSigner}); {@code null} from an agent that runs
 *     without keys
 */
public record Heartbeat(
    int schemaVersion,
    String messageId,
    String agentId,
    String cluster,
    ComponentKind kind,
    String instance,
    String agentVersion,
    String driver,
    Set<Capability> capabilities,
    Observed component,
    Duration gracePeriod,
    String currentCommandId,
    Instant at,
    String signature)
    implements Signed<Heartbeat> {

  public Heartbeat {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(at, "at");
    component = component == null ? Observed.unknown() : component;
    capabilities = capabilities == null ? Set.of() : Set.copyOf(capabilities);
  }

  /** An unsigned heartbeat (see {@link MessageSigner#sign}). */
  public Heartbeat(
      int schemaVersion,
      String messageId,
      String agentId,
      String cluster,
      ComponentKind kind,
      String instance,
      String agentVersion,
      String driver,
      Set<Capability> capabilities,
      Observed component,
      Duration gracePeriod,
      String currentCommandId,
      Instant at) {
    this(
        schemaVersion,
        messageId,
        agentId,
        cluster,
        kind,
        instance,
        agentVersion,
        driver,
        capabilities,
        component,
        gracePeriod,
        currentCommandId,
        at,
        null);
  }

  @Override
  public String key() {
    return agentId;
  }

  @Override
  public Heartbeat withSignature(String newSignature) {
    return new Heartbeat(
        schemaVersion,
        messageId,
        agentId,
        cluster,
        kind,
        instance,
        agentVersion,
        driver,
        capabilities,
        component,
        gracePeriod,
        currentCommandId,
        at,
        newSignature);
  }

  @Override
  public List<String> violations() {
    Violations v =
        new Violations()
            .require(schemaVersion >= 1, "schemaVersion: " + schemaVersion + " is not a version")
            .uuid("messageId", messageId)
            .agentId("agentId", agentId)
            .shortText("agentVersion", agentVersion)
            .shortText("driver", driver)
            .duration("gracePeriod", gracePeriod)
            .optionalUuid("currentCommandId", currentCommandId)
            .instant("at", at)
            .shortText("signature", signature);
    component.check("component", v);
    try {
      AgentId id = AgentId.parse(agentId);
      v.require(
          id.cluster().equals(cluster) && id.kind() == kind && id.instance().equals(instance),
          "cluster, kind, instance: differ from the agentId " + agentId);
    } catch (IllegalArgumentException e) {
      // named by the agentId check above
    }
    return v.list();
  }

  /**
   * This heartbeat as if it had said {@code observed} at {@code observedAt}: what an ack tells of
   * the component is often fresher than the last heartbeat (a server that just became ready).
   */
  public Heartbeat withComponent(Observed observed, Instant observedAt) {
    Observed merged =
        observed.version() == null
            ? new Observed(
                component.version(), observed.state(), observed.ready(), observed.inFlightTasks())
            : observed;
    return new Heartbeat(
        schemaVersion,
        messageId,
        agentId,
        cluster,
        kind,
        instance,
        agentVersion,
        driver,
        capabilities,
        merged,
        gracePeriod,
        currentCommandId,
        observedAt,
        // what the coordinator makes of the agent's words is not what the agent signed
        null);
  }
}
