package io.kestra.upgrade.agent.driver.process;

import java.time.Duration;

/** Durations as Kestra's (Micronaut's) configuration writes them: {@code 300s}, {@code 1500ms}. */
final class KestraDurations {

  private KestraDurations() {}

  /** Whole seconds as {@code Ns}, anything finer as {@code Nms}. */
  static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a negative duration has no Kestra form: " + duration);
    }
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }
}
