package io.kestra.upgrade.common;

import java.util.List;
import java.util.Objects;

/**
 * The Kafka topic names of one installation, all derived from a prefix (default {@value
 * #DEFAULT_PREFIX}).
 *
 * @param prefix the common prefix, e.g. {@code kestra.upgrade}
 */
public record Topics(String prefix) {

  /** The prefix used when none is configured. */
  public static final String DEFAULT_PREFIX = "kestra.upgrade";

  public Topics {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' may hold only letters, digits, '.', '_' and '-'");
    }
  }

  /** Topics under the default prefix. */
  public static Topics defaults() {
    return new Topics(DEFAULT_PREFIX);
  }

  /** Coordinator to agents, keyed by agentId; values are {@link Command}. */
  public String commands() {
    return prefix + ".commands";
  }

  /** Agents to coordinator, keyed by agentId; values are {@link Ack}. */
  public String acks() {
    return prefix + ".acks";
  }

  /** Agents to coordinator, keyed by agentId, compacted; values are {@link Heartbeat}. */
  public String heartbeats() {
    return prefix + ".heartbeats";
  }

  /** Coordinator to anyone, keyed by upgradeId; CloudEvents in binary mode. */
  public String events() {
    return prefix + ".events";
  }

  /** Records that could not be parsed or handled, copied with where they came from. */
  public String deadLetter() {
    return prefix + ".dead-letter";
  }

  /** Every topic of the installation. */
  public List<String> all() {
    return List.of(commands(), acks(), heartbeats(), events(), deadLetter());
  }
}
