package io.kestra.upgrade.sandbox.support;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Asks a condition again and again, pausing by a {@link Backoff}, until it holds or a deadline
 * passes. The sandbox's only waiting loop: Awaitility would do it, but it is a test library, and
 * this is the sandbox's runtime.
 */
public final class Poll {

  private Poll() {}

  /** Polls with {@link Backoff#READINESS}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    until(what, timeout, Backoff.READINESS, condition);
  }

  /**
   * Returns as soon as {@code condition} holds; the condition is asked at least once, even after
   * the deadline.
   *
   * @param what what is awaited, for the message of the failure
   * @throws TimedOutException when the condition still does not hold after {@code timeout}
   * @throws InterruptedException when interrupted while pausing
   */
  public static void until(
      String what, Duration timeout, Backoff backoff, BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Duration pause = Duration.ZERO;
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new TimedOutException(what + " not ready after " + human(timeout));
      }
      pause = backoff.pause(pause);
    }
  }

  private static String human(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  /** What was awaited did not happen in time. */
  public static final class TimedOutException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    TimedOutException(String message) {
      super(message);
    }
  }
}
