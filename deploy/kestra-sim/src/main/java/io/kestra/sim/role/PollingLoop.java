package io.kestra.sim.role;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A thread that runs a step, sleeps, and repeats until stopped. A failing step (the database is
 * down) is logged and retried at the next period, as Kestra's scheduled tasks do; repeated
 * identical failures are logged once every minute or so, not at every period.
 */
public final class PollingLoop {

  private static final Logger LOG = Logger.getLogger(PollingLoop.class.getName());
  private static final long REPEAT_LOG_NANOS = Duration.ofMinutes(1).toNanos();

  /** One step of the loop. */
  @FunctionalInterface
  public interface Step {
    /** Runs once. */
    void run() throws SQLException;
  }

  private final String name;
  private final Supplier<Duration> period;
  private final Step step;
  private final Thread thread;
  private volatile boolean running;
  private long lastFailureLog;
  private String lastFailure;

  /**
   * A loop (not started yet).
   *
   * @param name thread name, also in failure logs
   * @param period time between two steps (asked before each sleep, so it may vary: jitter)
   */
  public PollingLoop(String name, Supplier<Duration> period, Step step) {
    this.name = name;
    this.period = period;
    this.step = step;
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
  }

  /** Starts the thread. */
  public void start() {
    running = true;
    thread.start();
  }

  /** Stops the loop after the current step and waits for it (up to 10 s). */
  public void stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    while (running) {
      try {
        step.run();
        lastFailure = null;
      } catch (SQLException | RuntimeException e) {
        if (running) {
          logFailure(e);
        }
      }
      if (!sleep()) {
        return;
      }
    }
  }

  private boolean sleep() {
    try {
      Thread.sleep(Math.max(1, period.get().toMillis()));
      return true;
    } catch (InterruptedException e) {
      // stop() interrupts: keep the flag for whoever looks, and end the loop
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void logFailure(Exception e) {
    String message = String.valueOf(e.getMessage());
    long now = System.nanoTime();
    if (!message.equals(lastFailure) || now - lastFailureLog > REPEAT_LOG_NANOS) {
      LOG.log(Level.WARNING, name + " failed, retrying: " + message, e);
      lastFailure = message;
      lastFailureLog = now;
    }
  }
}
