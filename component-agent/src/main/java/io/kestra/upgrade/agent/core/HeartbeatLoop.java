package io.kestra.upgrade.agent.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the agent's heartbeats: the first at once, then one every interval, from a thread of its
 * own that nothing else uses. A command, a driver operation or the consumer never runs on it; what
 * it calls does not wait: the observation is the driver's cached one ({@code
 * ComponentDriver#observe} never blocks), and publishing is asynchronous on a producer of its own
 * whose {@code max.block.ms} is one interval, so that even a broker outage (the one case where a
 * send waits, for the topic's metadata) delays at most the heartbeat that no broker could have
 * received anyway.
 */
final class HeartbeatLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatLoop.class);

  private final ScheduledExecutorService thread;

  private HeartbeatLoop(ScheduledExecutorService thread) {
    this.thread = thread;
  }

  /**
   * Starts sending {@code heartbeat} (which must never throw) at once and then every {@code
   * interval}.
   */
  static HeartbeatLoop start(Runnable heartbeat, Duration interval, String threadName) {
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, threadName);
              t.setDaemon(true);
              return t;
            });
    thread.scheduleAtFixedRate(heartbeat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new HeartbeatLoop(thread);
  }

  /** Stops the heartbeats; a heartbeat being sent is let finish. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("a heartbeat did not finish within 10 s of the agent's close");
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }
}
