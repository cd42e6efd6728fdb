package io.kestra.upgrade.sandbox.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls the Kestra API every 50 ms, as a user's client behind a load balancer would, and measures
 * how long it was down: from the first failed call after a success to the next success. Each call
 * starts 50 ms after the previous one ended: a slow call is never overlapped, and a stalled probe
 * does not catch up with a burst of calls.
 */
final class ApiProbe implements AutoCloseable {

  private static final long PERIOD_MS = 50;

  private static final String PATH = "/api/v1/executions/search?size=1";

  private final KestraApi api;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "api-probe");
            t.setDaemon(true);
            return t;
          });
  private long requests;
  private long failures;
  private long downtimeMs;
  private long longestOutageMs;
  private long downSince = -1;

  /**
   * @param webserverUrls every webserver's API, failed over as a load balancer would ({@link
   *     KestraApi}): with two or more, the API is down only when none answers
   */
  ApiProbe(List<String> webserverUrls) {
    this.api = new KestraApi(webserverUrls);
  }

  ApiProbe start() {
    scheduler.scheduleWithFixedDelay(this::call, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  private void call() {
    boolean ok;
    try {
      ok = api.get(PATH, Duration.ofSeconds(1)).status() == 200;
    } catch (IOException e) {
      ok = false;
    } catch (InterruptedException e) {
      // close() interrupts a call in flight: it is not an outage
      Thread.currentThread().interrupt();
      return;
    }
    record(ok, System.currentTimeMillis());
  }

  private synchronized void record(boolean ok, long now) {
    requests++;
    if (!ok) {
      failures++;
      if (downSince < 0) {
        downSince = now;
      }
    } else if (downSince >= 0) {
      long outage = now - downSince;
      downtimeMs += outage;
      longestOutageMs = Math.max(longestOutageMs, outage);
      downSince = -1;
    }
  }

  /** Stops probing; an outage still open counts up to now. */
  @Override
  public void close() throws InterruptedException {
    scheduler.shutdownNow();
    scheduler.awaitTermination(2, TimeUnit.SECONDS);
    synchronized (this) {
      if (downSince >= 0) {
        long outage = System.currentTimeMillis() - downSince;
        downtimeMs += outage;
        longestOutageMs = Math.max(longestOutageMs, outage);
        downSince = -1;
      }
    }
  }

  synchronized Summary.Probe result() {
    return new Summary.Probe(requests, failures, downtimeMs, longestOutageMs);
  }
}
