package io.kestra.upgrade.coordinator.upgrade.engine;

import java.time.Instant;
import java.util.Objects;

/**
 * What the last {@code step.progress} event of a step said, and when it was published: what {@link
 * ProgressThrottle} compares the next PROGRESS ack with.
 *
 * @param at when the event was published (the coordinator's clock)
 * @param inFlightTasks the in-flight task count it carried, or {@code null}
 * @param message the agent's message it carried, or {@code null}
 */
public record ProgressReport(Instant at, Integer inFlightTasks, String message) {

  public ProgressReport {
    Objects.requireNonNull(at, "at");
  }
}
