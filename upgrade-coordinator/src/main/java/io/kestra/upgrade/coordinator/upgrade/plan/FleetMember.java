package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Heartbeat;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One agent of the cluster as the planner sees it: its last heartbeat (freshened by its acks), and
 * whether it has been silent for too long. The planner's only view of the world.
 *
 * @param heartbeat what the agent last said of itself and its server
 * @param lost whether the agent has been silent for too long
 * @param clockOffset how far the agent's clock is from the coordinator's, or {@code null} when
 *     unknown
 * @param refusal why the coordinator refuses the agent's messages, or {@code null}
 */
public record FleetMember(Heartbeat heartbeat, boolean lost, Duration clockOffset, String refusal) {

  public FleetMember {
    Objects.requireNonNull(heartbeat, "heartbeat");
  }

  /** A member whose clock agrees and whose messages are accepted. */
  public FleetMember(Heartbeat heartbeat, boolean lost) {
    this(heartbeat, lost, Duration.ZERO, null);
  }

  public String agentId() {
    return heartbeat.agentId();
  }

  public ComponentKind kind() {
    return heartbeat.kind();
  }

  /** The Kestra version the server reports, or {@code null}. */
  public String version() {
    return heartbeat.component().version();
  }

  /** Whether the server reported ready. */
  public boolean ready() {
    return heartbeat.component().ready();
  }

  public Set<Capability> capabilities() {
    return heartbeat.capabilities();
  }

  /** The grace period the server is configured with, when the agent reports it. */
  public Optional<Duration> gracePeriod() {
    return Optional.ofNullable(heartbeat.gracePeriod());
  }
}
