package io.kestra.upgrade.common;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of an agent, and of the Kestra server beside it: {@code
 * <cluster>/<kind>/<instance>}, e.g. {@code prod/worker/worker-2}. It is the Kafka key of every
 * command, ack and heartbeat of that agent. Kestra's own service ids change at every start; this
 * one does not.
 *
 * @param cluster the installation the server belongs to
 * @param kind the kind of server
 * @param instance the instance name, unique within cluster and kind
 */
public record AgentId(String cluster, ComponentKind kind, String instance) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62})");

  public AgentId {
    requireName("cluster", cluster);
    Objects.requireNonNull(kind, "kind");
    requireName("instance", instance);
  }

  /**
   * Parses {@code <cluster>/<kind>/<instance>}.
   *
   * @throws IllegalArgumentException saying which part is wrong
   */
  public static AgentId parse(String value) {
    if (value == null) {
      throw new IllegalArgumentException("agent id is missing");
    }
    String[] parts = value.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "agent id '" + value + "' must read <cluster>/<kind>/<instance>");
    }
    return new AgentId(parts[0], ComponentKind.fromWire(parts[1]), parts[2]);
  }

  /** Whether {@code value} is a valid cluster or instance name. */
  public static boolean isValidName(String value) {
    return value != null && NAME.matcher(value).matches();
  }

  static void requireName(String what, String value) {
    if (!isValidName(value)) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
  }

  @Override
  public String toString() {
    return cluster + "/" + kind.wireName() + "/" + instance;
  }
}
