package io.kestra.upgrade.agent.driver;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How to stop a server: SIGTERM at once, SIGKILL only once {@code requestedAt + gracePeriod +
 * killMargin} has passed.
 *
 * @param gracePeriod how long the server may take to finish its work; empty for the one it was
 *     started with, else Kestra's default of 5 minutes
 * @param killMargin added to the grace period before the process is killed; empty for the driver's
 *     default
 * @param requestedAt when the stop was asked for: the kill deadline counts from here, also when an
 *     agent restarted mid-stop resumes waiting
 */
public record StopRequest(
    Optional<Duration> gracePeriod, Optional<Duration> killMargin, Instant requestedAt) {

  public StopRequest {
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    Objects.requireNonNull(killMargin, "killMargin");
    Objects.requireNonNull(requestedAt, "requestedAt");
  }
}
