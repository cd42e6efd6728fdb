package io.kestra.sim.execution;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Draws a task duration uniformly between the configured bounds. */
public final class TaskDurations {

  private final long minMs;
  private final long maxMs;

  /** Durations in {@code [min, max]}. */
  public TaskDurations(Duration min, Duration max) {
    this.minMs = min.toMillis();
    this.maxMs = max.toMillis();
  }

  /** The next random duration in milliseconds. */
  public long next() {
    return minMs == maxMs ? minMs : ThreadLocalRandom.current().nextLong(minMs, maxMs + 1);
  }
}
