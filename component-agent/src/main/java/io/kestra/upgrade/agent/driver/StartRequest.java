package io.kestra.upgrade.agent.driver;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a server.
 *
 * @param readinessTimeout how long to wait for readiness; empty for the driver's default
 * @param gracePeriod the graceful-shutdown period the server is to apply at its next stop ({@code
 *     kestra.server.terminationGracePeriod}); empty to keep the server's own configuration
 */
public record StartRequest(Optional<Duration> readinessTimeout, Optional<Duration> gracePeriod) {

  public StartRequest {
    Objects.requireNonNull(readinessTimeout, "readinessTimeout");
    Objects.requireNonNull(gracePeriod, "gracePeriod");
  }

  /** Driver defaults throughout. */
  public static StartRequest defaults() {
    return new StartRequest(Optional.empty(), Optional.empty());
  }
}
