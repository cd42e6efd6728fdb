package io.kestra.upgrade.coordinator.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * The name of this coordinator instance: {@code coordinator.instance-id}, or the host name and the
 * HTTP port, so that two instances on one machine differ and an instance restarted is the same. The
 * consumers' static group membership ({@code group.instance.id}) and the leader's epoch row carry
 * it.
 *
 * @param value the name
 */
public record InstanceId(String value) {

  public InstanceId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("coordinator.instance-id is blank");
    }
  }

  /** The configured name, or {@code <host name>-<port>}. */
  public static InstanceId of(Optional<String> configured, int httpPort) {
    return new InstanceId(
        configured.filter(s -> !s.isBlank()).orElseGet(() -> host() + "-" + httpPort));
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // a host without a resolvable name: its instances still differ by port
      return "localhost";
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
