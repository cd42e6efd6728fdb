package io.kestra.sim.log;

import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Sends JDK logging (ours, Flyway's, the JDBC driver's) to the console, one line per event. */
public final class SimLogging {

  // JDK loggers are weakly held: keep the configured one, or its level is lost
  private static Logger simRoot;

  private SimLogging() {}

  /**
   * Selects {@link SimLogManager}; effective only before the first logger exists, so the entry
   * point calls it first.
   */
  public static void selectLogManager() {
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", SimLogManager.class.getName());
    }
  }

  /**
   * Replaces the root handlers with the console handler.
   *
   * @param level Kestra's level name (TRACE, DEBUG, INFO, WARN, ERROR) for the simulator's own
   *     loggers (Kestra's {@code io.kestra} loggers, which {@code -l} reaches only with {@code
   *     --internal-log})
   */
  public static synchronized void install(String level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    Handler console = new ConsoleHandler(System.out, System.err);
    console.setLevel(Level.ALL);
    root.addHandler(console);
    root.setLevel(Level.INFO);
    simRoot = Logger.getLogger("io.kestra.sim");
    simRoot.setLevel(toJul(level));
  }

  /** Maps Kestra's (logback's) level names to JDK levels. */
  public static Level toJul(String level) {
    return switch (level.toUpperCase(Locale.ROOT)) {
      case "TRACE" -> Level.FINEST;
      case "DEBUG" -> Level.FINE;
      case "WARN" -> Level.WARNING;
      case "ERROR" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }
}
