package io.kestra.upgrade.sandbox.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.sandbox.support.Poll;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in fleet's work as its API counts it ({@code /api/v1/sim/stats}): what the demo and the
 * naive upgrade wait for and sum up alike.
 */
final class FleetLoad {

  /** The stand-in Kestra's API, through any webserver that answers. */
  private final KestraApi kestra;

  private final PrintStream out;

  FleetLoad(List<String> webserverUrls, PrintStream out) {
    this.kestra = new KestraApi(webserverUrls);
    this.out = out;
  }

  /** Waits until executions complete and some run, then says how many. */
  void awaitFlowing() throws InterruptedException {
    out.println("· waiting for executions to flow …");
    Poll.until(
        "executions flowing",
        Duration.ofMinutes(2),
        () -> {
          JsonNode now = stats(null);
          return now.path("completed").asLong() > 0 && now.path("running").asLong() > 0;
        });
    JsonNode flowing = stats(null);
    out.printf(
        "✓ executions flowing: %d created, %d completed, %d running%n",
        flowing.path("created").asLong(),
        flowing.path("completed").asLong(),
        flowing.path("running").asLong());
  }

  /** Waits (3 minutes at most) until every execution created before {@code ended} completed. */
  void settle(Instant ended) throws InterruptedException {
    out.println(
        "· letting the fleet settle: every execution created before the end of the upgrade must"
            + " complete …");
    try {
      Poll.until("the fleet to settle", Duration.ofMinutes(3), () -> pendingBefore(ended) == 0);
      out.println("✓ settled");
    } catch (Poll.TimedOutException e) {
      out.println(
          "✗ " + e.getMessage() + ": " + pendingBefore(ended) + " execution(s) still pending");
    }
  }

  /** The counts now, in one snapshot so that they add up. */
  Summary.Tasks tasks() {
    JsonNode stats = stats(null);
    return new Summary.Tasks(
        count(stats, "created"),
        count(stats, "completed"),
        count(stats, "running"),
        count(stats, "forced"),
        count(stats, "resubmitted"),
        count(stats, "lost"),
        count(stats, "dropped"));
  }

  /**
   * Watches, every 200 ms, for the moment the last execution created before {@code since}
   * completed: the work in flight when an upgrade began.
   */
  Watch watchInFlight(Instant since) {
    return new Watch(since);
  }

  /** See {@link #watchInFlight}. */
  final class Watch implements AutoCloseable {
    private final Instant since;
    private final ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "in-flight-watch");
              t.setDaemon(true);
              return t;
            });
    private volatile Instant doneAt;

    private Watch(Instant since) {
      this.since = since;
      scheduler.scheduleWithFixedDelay(this::look, 0, 200, TimeUnit.MILLISECONDS);
    }

    private void look() {
      if (doneAt == null && pendingBefore(since) == 0) {
        doneAt = Instant.now();
        scheduler.shutdown();
      }
    }

    /** How long after {@code since} the last of that work completed, or null if not yet. */
    Long doneMs() {
      Instant at = doneAt;
      return at == null ? null : Duration.between(since, at).toMillis();
    }

    @Override
    public void close() {
      scheduler.shutdownNow();
    }
  }

  private static long count(JsonNode stats, String name) {
    return stats.path(name).asLong(-1);
  }

  /**
   * Executions created before {@code before} not completed yet; -1 when the API does not answer.
   */
  private long pendingBefore(Instant before) {
    return count(stats(before), "pendingBefore");
  }

  private JsonNode stats(Instant createdBefore) {
    String path =
        "/api/v1/sim/stats" + (createdBefore == null ? "" : "?createdBefore=" + createdBefore);
    try {
      Http.Answer a = kestra.get(path, Duration.ofSeconds(2));
      return a.status() == 200 ? a.body() : Http.json().missingNode();
    } catch (IOException e) {
      return Http.json().missingNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Http.json().missingNode();
    }
  }
}
