package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.CommandType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What each agent's commands took the last time they succeeded in an upgrade of the cluster: the
 * planner's expectation for the same command of the same agent.
 *
 * @param lastDurations by {@link #key}
 */
public record StepHistory(Map<String, Duration> lastDurations) {

  /** A cluster never upgraded. */
  public static final StepHistory NONE = new StepHistory(Map.of());

  public StepHistory {
    lastDurations = Map.copyOf(lastDurations);
  }

  /** The key of {@code agentId}'s {@code type} commands. */
  public static String key(String agentId, CommandType type) {
    return agentId + " " + type.name();
  }

  /** What {@code agentId}'s last successful {@code type} took, if it ever ran one. */
  public Optional<Duration> last(String agentId, CommandType type) {
    return Optional.ofNullable(lastDurations.get(key(agentId, type)));
  }
}
