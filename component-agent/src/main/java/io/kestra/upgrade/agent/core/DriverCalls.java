package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.agent.driver.ComponentDriver;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.common.FailureReason;

/**
 * The boundary between the agent and its driver: whatever a driver operation throws unexpectedly is
 * the driver's failure ({@link FailureReason#DRIVER_ERROR}), so that what is thrown outside it can
 * be told apart as the agent's own ({@link FailureReason#AGENT_ERROR}).
 */
final class DriverCalls {

  /** A driver operation that answers something. */
  @FunctionalInterface
  interface Query<R> {
    R call() throws DriverException, InterruptedException;
  }

  /** A driver operation that answers nothing. */
  @FunctionalInterface
  interface Action {
    void run() throws DriverException, InterruptedException;
  }

  private final ComponentDriver driver;

  DriverCalls(ComponentDriver driver) {
    this.driver = driver;
  }

  /**
   * @throws DriverException the driver's own, or {@link FailureReason#DRIVER_ERROR} for anything
   *     unchecked it throws
   */
  <R> R ask(Query<R> query) throws DriverException, InterruptedException {
    try {
      return query.call();
    } catch (RuntimeException e) {
      throw new DriverException(
          FailureReason.DRIVER_ERROR,
          "the " + driver.name() + " driver failed unexpectedly: " + e,
          e);
    }
  }

  /** Like {@link #ask}, for an operation that answers nothing. */
  void order(Action action) throws DriverException, InterruptedException {
    ask(
        () -> {
          action.run();
          return null;
        });
  }
}
