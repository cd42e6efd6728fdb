package io.kestra.sim.log;

import java.util.logging.LogManager;

/**
 * A JDK log manager that keeps its handlers when the JVM shuts down. The standard one resets itself
 * from a shutdown hook of its own, racing with the server's graceful-exit hook, whose lines ({@code
 * Receiving shutdown ! Try to graceful exit}, {@code Forcing shutdown now}) would then be lost.
 * Selected by {@code java.util.logging.manager} before the first logger is created.
 */
public final class SimLogManager extends LogManager {

  @Override
  public void reset() {
    // kept on purpose: see the class comment; SimLogging replaces the handlers itself
  }
}
