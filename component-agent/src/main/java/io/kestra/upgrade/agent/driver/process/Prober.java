package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Observed;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes the server on a background thread every probe interval (readiness, and the running task
 * count of workers and standalone servers) and keeps the last {@link Observed} for anyone to read
 * at no cost. Commands that wait on the server probe it directly, which refreshes the same cache.
 */
final class Prober implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Prober.class);

  private final ServerTracker tracker;
  private final ManagementClient management;
  private final ComponentKind kind;
  private final Runnable housekeeping;
  private final AtomicReference<Observed> last = new AtomicReference<>(Observed.unknown());
  private ScheduledExecutorService thread;

  /**
   * @param housekeeping cheap upkeep run on the probe thread before each background probe (reading
   *     a configuration file again when it changed), so that no caller ever waits on it
   */
  Prober(
      ServerTracker tracker,
      ManagementClient management,
      ComponentKind kind,
      Runnable housekeeping) {
    this.tracker = tracker;
    this.management = management;
    this.kind = kind;
    this.housekeeping = housekeeping;
  }

  /** Starts the background probe. */
  synchronized void start(Duration interval, String name) {
    if (thread != null) {
      return;
    }
    thread =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread t = new Thread(runnable, name);
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    thread.scheduleWithFixedDelay(this::probeQuietly, 0, ms, TimeUnit.MILLISECONDS);
  }

  /** The last observation. */
  Observed cached() {
    return last.get();
  }

  /** Observes the server now, and keeps the result. */
  Observed probeNow() {
    boolean alive = tracker.live().isPresent();
    boolean ready = alive && management.ready();
    if (ready) {
      tracker.markReady();
    }
    int tasks = 0;
    if (alive && ServerTracker.runsTasks(kind)) {
      OptionalInt running = management.runningTasks();
      // while the metric cannot be read (starting, shutting down), the last count stands
      tasks = running.orElse(last.get().inFlightTasks());
    }
    ComponentState state = tracker.state(ready);
    Observed observed =
        new Observed(
            tracker.version().map(KestraVersion::toString).orElse(null), state, ready, tasks);
    last.set(observed);
    return observed;
  }

  private void probeQuietly() {
    try {
      housekeeping.run();
      probeNow();
    } catch (RuntimeException e) {
      // a failing probe must not end the schedule: the next one tries again
      LOG.warn("probing the {} server failed", kind.wireName(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.shutdownNow();
      thread = null;
    }
  }
}
