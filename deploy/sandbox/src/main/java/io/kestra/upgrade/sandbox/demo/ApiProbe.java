package io.kestra.upgrade.sandbox.demo;

import io.kestra.upgrade.sandbox.support.Http;
import java.io.IOException;
import java.time.Duration;

/**
 * Calls the Kestra API every 50 ms, as a user's client would, and measures how long it was down:
 * from the first failed call after a success to the next success.
 */
final class ApiProbe implements AutoCloseable {

  private static final long PERIOD_MS = 50;

  private final String url;
  private final Http http = new Http();
  private final Thread thread;
  private volatile boolean running = true;
  private long requests;
  private long failures;
  private long downtimeMs;
  private long longestOutageMs;
  private long downSince = -1;

  ApiProbe(String webserverUrl) {
    this.url = webserverUrl + "/api/v1/executions/search?size=1";
    this.thread = new Thread(this::loop, "api-probe");
    this.thread.setDaemon(true);
  }

  ApiProbe start() {
    thread.start();
    return this;
  }

  private void loop() {
    while (running) {
      long t0 = System.nanoTime();
      boolean ok;
      try {
        ok = http.get(url, Duration.ofSeconds(1)).status() == 200;
      } catch (IOException e) {
        ok = false;
      } catch (InterruptedException e) {
        return;
      }
      record(ok, System.currentTimeMillis());
      long spent = (System.nanoTime() - t0) / 1_000_000;
      try {
        Thread.sleep(Math.max(0, PERIOD_MS - spent));
      } catch (InterruptedException e) {
        return;
      }
    }
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
    running = false;
    thread.join(2_000);
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
