package io.kestra.upgrade.sandbox.support;

import java.time.Duration;

/**
 * The pause between two attempts: starts at {@code first}, grows by {@code factor} after each
 * attempt, never beyond {@code max}. A part that is ready in 300 ms is seen at once, and a slow one
 * is not asked ten times a second for minutes.
 *
 * @param first the first pause
 * @param max the longest pause
 * @param factor how much each pause grows (1 for a fixed pause)
 */
public record Backoff(Duration first, Duration max, double factor) {

  /** For readiness checks: 50 ms, then up to 500 ms. */
  public static final Backoff READINESS =
      new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 1.5);

  public Backoff {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || factor < 1) {
      throw new IllegalArgumentException(
          "a backoff needs 0 < first <= max and factor >= 1: "
              + first
              + ", "
              + max
              + ", "
              + factor);
    }
  }

  /** The same pause every time. */
  public static Backoff fixed(Duration pause) {
    return new Backoff(pause, pause, 1);
  }

  /** The pause after {@code previous} (after none, give {@link Duration#ZERO}). */
  public Duration next(Duration previous) {
    if (previous.isZero()) {
      return first;
    }
    long grown = (long) Math.ceil(previous.toMillis() * factor);
    return Duration.ofMillis(Math.min(grown, max.toMillis()));
  }

  /**
   * Sleeps for the pause after {@code previous} and returns it.
   *
   * @throws InterruptedException when interrupted while sleeping
   */
  public Duration pause(Duration previous) throws InterruptedException {
    Duration pause = next(previous);
    Thread.sleep(pause.toMillis());
    return pause;
  }
}
