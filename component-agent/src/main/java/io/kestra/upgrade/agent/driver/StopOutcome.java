package io.kestra.upgrade.agent.driver;

import java.util.Objects;

/**
 * What a STOP did.
 *
 * @param mode how it ended
 * @param tasksAtStop task runs running on the server when the stop began (workers and standalone
 *     servers; 0 for other kinds)
 */
public record StopOutcome(StopMode mode, int tasksAtStop) {

  public StopOutcome {
    Objects.requireNonNull(mode, "mode");
  }

  /** Nothing was running. */
  public static StopOutcome nothingRunning() {
    return new StopOutcome(StopMode.NONE, 0);
  }
}
