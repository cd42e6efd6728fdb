package io.kestra.upgrade.cli.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Follows one of the coordinator's live event streams as a browser's EventSource would: on a lost
 * connection (or a silence longer than three heartbeats) it reconnects with {@code Last-Event-ID},
 * so no event is missed, and gives up only when the coordinator stays unreachable for {@link
 * #giveUpAfter}.
 */
public final class EventFeed {

  private final ApiClient api;
  private final Duration silence;
  private final Duration giveUpAfter;
  private final Duration retryEvery;

  /**
   * @param api the coordinator
   * @param silence how long without a byte (not even a heartbeat) before the connection is taken
   *     for lost
   * @param giveUpAfter how long reconnecting may fail before the feed gives up
   * @param retryEvery the pause between two reconnections
   */
  public EventFeed(ApiClient api, Duration silence, Duration giveUpAfter, Duration retryEvery) {
    this.api = api;
    this.silence = silence;
    this.giveUpAfter = giveUpAfter;
    this.retryEvery = retryEvery;
  }

  /** The coordinator's heartbeats come every 15 s: three missed ones mean a dead connection. */
  public static EventFeed standard(ApiClient api) {
    return new EventFeed(api, Duration.ofSeconds(45), Duration.ofMinutes(2), Duration.ofSeconds(1));
  }

  /**
   * Reads {@code path}'s events until {@code done} accepts one.
   *
   * @throws ApiFailure when the coordinator refuses the stream (401, 404, …) or stays unreachable
   */
  public void follow(String path, Predicate<SseEvent> done) throws InterruptedException {
    String lastId = null;
    Instant failingSince = null;
    ScheduledExecutorService watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kestra-upgrade-stream-watchdog");
              t.setDaemon(true);
              return t;
            });
    try {
      while (true) {
        InputStream body;
        try {
          body = api.openStream(path, lastId);
        } catch (ApiFailure e) {
          if (e.status() != 0) {
            throw e; // an answer, not an outage: retrying cannot change it
          }
          failingSince = failingSince == null ? Instant.now() : failingSince;
          if (Duration.between(failingSince, Instant.now()).compareTo(giveUpAfter) > 0) {
            throw e;
          }
          Thread.sleep(retryEvery.toMillis());
          continue;
        }
        failingSince = null;
        Read read = read(body, done, watchdog);
        if (read.lastId() != null) {
          lastId = read.lastId();
        }
        if (read.done()) {
          return;
        }
        Thread.sleep(retryEvery.toMillis());
      }
    } finally {
      watchdog.shutdownNow();
    }
  }

  private record Read(boolean done, String lastId) {}

  /** Reads one connection's events; ends when {@code done} accepts one or the connection ends. */
  private Read read(InputStream body, Predicate<SseEvent> done, ScheduledExecutorService watchdog) {
    SseParser parser = new SseParser();
    String lastId = null;
    long[] lastByte = {System.nanoTime()};
    // the JDK client has no read time-out for a streamed body: closing it ends a blocked read
    var check =
        watchdog.scheduleAtFixedRate(
            () -> {
              if (System.nanoTime() - lastByte[0] > silence.toNanos()) {
                closeQuietly(body);
              }
            },
            1,
            1,
            TimeUnit.SECONDS);
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        lastByte[0] = System.nanoTime();
        Optional<SseEvent> event = parser.line(line);
        if (event.isPresent()) {
          if (event.get().id() != null) {
            lastId = event.get().id();
          }
          if (done.test(event.get())) {
            return new Read(true, lastId);
          }
        }
      }
    } catch (IOException e) {
      // a lost connection: the caller reconnects after the last event it got
    } finally {
      check.cancel(false);
      closeQuietly(body);
    }
    return new Read(false, lastId);
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      // already broken: nothing more to release
    }
  }
}
