package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.agent.driver.Progress;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publishes a PROGRESS ack at a steady pace while one command runs, with the driver's latest
 * report: the coordinator hears from a long command at least every interval, whatever the driver
 * does.
 */
final class ProgressTicker implements Progress, AutoCloseable {

  private final Object lock = new Object();
  private final Consumer<String> publish;
  private volatile String latest;
  private ScheduledFuture<?> future;
  private boolean closed;

  private ProgressTicker(Consumer<String> publish, String initial) {
    this.publish = publish;
    this.latest = initial;
  }

  /**
   * Starts ticking on {@code scheduler}.
   *
   * @param publish publishes one PROGRESS ack with the given message
   */
  static ProgressTicker start(
      ScheduledExecutorService scheduler,
      Duration interval,
      Consumer<String> publish,
      String initial) {
    ProgressTicker ticker = new ProgressTicker(publish, initial);
    long ms = interval.toMillis();
    synchronized (ticker.lock) {
      ticker.future = scheduler.scheduleAtFixedRate(ticker::tick, ms, ms, TimeUnit.MILLISECONDS);
    }
    return ticker;
  }

  @Override
  public void report(String message) {
    latest = message;
  }

  /**
   * Stops ticking. When this returns no PROGRESS ack will be sent any more, so the final ack that
   * follows is the last one of the command.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      future.cancel(false);
    }
  }

  private void tick() {
    synchronized (lock) {
      if (!closed) {
        publish.accept(latest);
      }
    }
  }
}
