package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an {@link AgentCore} needs besides its driver.
 *
 * @param agentId {@code <cluster>/<kind>/<instance>}
 * @param agentVersion the agent's own version, reported in heartbeats
 * @param kafka broker and topics
 * @param heartbeatInterval time between two heartbeats
 * @param progressInterval time between two PROGRESS acks of a running command (at most {@link
 *     #MAX_PROGRESS_INTERVAL})
 * @param stateDir where the command journal (and the driver's own state) lives; one agent per
 *     directory
 * @param signingKey the key shared with the coordinator; once set, unsigned or wrongly signed
 *     commands are rejected
 * @param capabilities what the agent advertises and accepts (BACKUP, MIGRATE); each must be one the
 *     driver has
 */
public record AgentSettings(
    AgentId agentId,
    String agentVersion,
    KafkaSettings kafka,
    Duration heartbeatInterval,
    Duration progressInterval,
    Path stateDir,
    Optional<String> signingKey,
    Set<Capability> capabilities) {

  /** The contract: a long command reports PROGRESS at least this often. */
  public static final Duration MAX_PROGRESS_INTERVAL = Duration.ofSeconds(2);

  public AgentSettings {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(signingKey, "signingKey");
    requirePositive("heartbeat interval", heartbeatInterval);
    requirePositive("progress interval", progressInterval);
    if (progressInterval.compareTo(MAX_PROGRESS_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "progress interval "
              + progressInterval
              + " is longer than "
              + MAX_PROGRESS_INTERVAL
              + ": the coordinator expects a PROGRESS ack at least that often");
    }
    capabilities = Set.copyOf(capabilities);
  }

  private static void requirePositive(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + value);
    }
  }
}
