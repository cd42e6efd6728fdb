package io.kestra.upgrade.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The product's main job on one machine: with executions flowing through the stand-in fleet, asks
 * the coordinator to upgrade it, prints the progress as it happens, lets the fleet settle, and sums
 * up.
 */
public final class Demo {

  /**
   * What to upgrade to, and how.
   *
   * @param targetVersion the target
   * @param gracePeriod Kestra's grace period for the stop of each server
   * @param killMargin time after the grace period before a server is killed
   */
  public record Options(String targetVersion, String gracePeriod, String killMargin) {}

  private final Stack stack;
  private final Http http = new Http();
  private final PrintStream out;
  private final Map<String, String> lastState = new HashMap<>();
  private final Map<String, Integer> lastInFlight = new HashMap<>();
  private final Map<String, String> phaseState = new HashMap<>();
  private Instant t0;

  public Demo(Stack stack, PrintStream out) {
    this.stack = stack;
    this.out = out;
  }

  /** Runs the upgrade and returns its summary. */
  public Summary run(Options options) throws IOException, InterruptedException {
    out.println("· waiting for executions to flow …");
    Stack.await(
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

    Map<String, Object> request = new LinkedHashMap<>();
    request.put("cluster", stack.fleet().cluster());
    request.put("targetVersion", options.targetVersion());
    request.put("strategy", "FULL_STOP");
    request.put("gracePeriod", options.gracePeriod());
    request.put("killMargin", options.killMargin());
    JsonNode upgrade;
    try (ApiProbe probe = new ApiProbe(stack.webserverUrl()).start()) {
      t0 = Instant.now();
      Http.Answer started = http.post(stack.coordinatorUrl() + "/api/v1/upgrades", request);
      if (started.status() != 202) {
        throw new IllegalStateException(
            "the coordinator refused the upgrade: " + started.status() + " " + started.body());
      }
      String id = started.body().path("id").asText();
      out.printf(
          "▶ upgrade %s: %s → %s (%s)%n",
          id,
          started.body().path("fromVersion").asText(),
          started.body().path("toVersion").asText(),
          stack.coordinatorUrl() + "/api/v1/upgrades/" + id);
      upgrade = follow(id);
      probe.close();
      Instant ended = Instant.now();
      out.printf(
          "■ upgrade %s%s%n",
          upgrade.path("state").asText(),
          upgrade.path("message").isMissingNode() ? "" : ": " + upgrade.path("message").asText());
      settle(ended);
      return summarise(upgrade, probe.result());
    }
  }

  private JsonNode follow(String id) throws IOException, InterruptedException {
    while (true) {
      JsonNode u =
          http.get(stack.coordinatorUrl() + "/api/v1/upgrades/" + id, Duration.ofSeconds(5)).body();
      report(u);
      String state = u.path("state").asText();
      if (state.equals("SUCCEEDED")
          || state.equals("FAILED")
          || state.equals("ROLLED_BACK")
          || state.equals("ROLLBACK_FAILED")
          || state.equals("ABORTED")) {
        return u;
      }
      Thread.sleep(200);
    }
  }

  private void report(JsonNode u) {
    for (JsonNode s : u.path("steps")) {
      String key = s.path("id").asText();
      String state = s.path("state").asText();
      String instance = s.path("agentId").asText().replaceFirst("^.*/", "");
      String previous = lastState.put(key, state);
      if (!state.equals(previous)
          && (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("TIMED_OUT"))) {
        String extra = "";
        if (s.path("command").asText().equals("STOP") && s.path("result").has("stopMode")) {
          extra = " (" + s.path("result").path("stopMode").asText() + ")";
        }
        if (!state.equals("SUCCEEDED")) {
          extra = ": " + s.path("reason").asText() + " " + s.path("message").asText();
        }
        log("  %-9s %-12s %s%s", s.path("command").asText(), instance, state.toLowerCase(), extra);
      }
      if (s.path("phase").asText().equals("DRAIN")
          && state.equals("RUNNING")
          && s.has("inFlightTasks")
          && !s.path("inFlightTasks").isNull()) {
        int n = s.path("inFlightTasks").asInt();
        Integer before = lastInFlight.put(key, n);
        if (before == null || before != n) {
          log("  draining  %-12s %d task(s) in flight", instance, n);
        }
      }
    }
    for (JsonNode p : u.path("phases")) {
      String phase = p.path("phase").asText();
      String state = p.path("state").asText();
      if (!state.equals(phaseState.put(phase, state))) {
        if (state.equals("RUNNING")) {
          log("%-13s started (%d steps)", phase, p.path("steps").asInt());
        } else if (state.equals("SUCCEEDED")) {
          log("%-13s done in %.1f s", phase, p.path("durationMs").asLong() / 1000.0);
        } else if (state.equals("FAILED")) {
          log("%-13s FAILED", phase);
        }
      }
    }
  }

  private void settle(Instant ended) throws InterruptedException {
    out.println(
        "· letting the fleet settle: every execution created before the end of the upgrade must complete …");
    try {
      Stack.await("the fleet to settle", Duration.ofMinutes(3), () -> statBefore(ended) == 0);
      out.println("✓ settled");
    } catch (IllegalStateException e) {
      out.println("✗ " + e.getMessage() + ": " + statBefore(ended) + " execution(s) still pending");
    }
  }

  private Summary summarise(JsonNode u, Summary.Probe probe) {
    Map<String, Long> phases = new LinkedHashMap<>();
    for (JsonNode p : u.path("phases")) {
      phases.put(p.path("phase").asText(), p.path("durationMs").asLong());
    }
    long total = u.path("durationMs").asLong();
    Map<Integer, long[]> groups = new TreeMap<>();
    for (JsonNode s : u.path("steps")) {
      if (s.path("startedAt").isMissingNode()
          || s.path("startedAt").isNull()
          || s.path("finishedAt").isNull()
          || s.path("finishedAt").isMissingNode()) {
        continue;
      }
      long start = Instant.parse(s.path("startedAt").asText()).toEpochMilli();
      long end = Instant.parse(s.path("finishedAt").asText()).toEpochMilli();
      groups.merge(
          s.path("group").asInt(),
          new long[] {start, end},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    long working = groups.values().stream().mapToLong(g -> g[1] - g[0]).sum();
    // one snapshot, so that the counts add up
    JsonNode stats = stats(null);
    Summary.Tasks tasks =
        new Summary.Tasks(
            count(stats, "created"),
            count(stats, "completed"),
            count(stats, "running"),
            count(stats, "forced"),
            count(stats, "resubmitted"),
            count(stats, "lost"));
    return new Summary(
        u.path("state").asText(),
        u.path("id").asText(),
        u.path("fromVersion").asText(),
        u.path("toVersion").asText(),
        total,
        probe.downtimeMs(),
        Math.max(0, total - working),
        phases,
        tasks,
        probe);
  }

  /** Prints the summary for a human. */
  public static void print(Summary s, PrintStream out) {
    out.println();
    out.println("══ summary ══════════════════════════════════════════");
    out.printf("upgrade          %s  %s → %s%n", s.state(), s.fromVersion(), s.toVersion());
    out.printf("total            %.1f s%n", s.totalMs() / 1000.0);
    s.phases().forEach((p, ms) -> out.printf("  %-14s %6.1f s%n", p, ms / 1000.0));
    out.printf(
        "API downtime     %.2f s (probe every 50 ms: %d calls, %d failed, longest outage %.2f s)%n",
        s.apiDowntimeMs() / 1000.0,
        s.apiProbe().requests(),
        s.apiProbe().failed(),
        s.apiProbe().longestOutageMs() / 1000.0);
    out.printf(
        "tasks            %d created, %d completed, %d still running (created after the upgrade),%n",
        s.tasks().created(), s.tasks().completed(), s.tasks().running());
    out.printf(
        "                 %d forced, %d resubmitted, %d lost%n",
        s.tasks().forced(), s.tasks().resubmitted(), s.tasks().lost());
    out.printf(
        "coordinator      %.2f s of overhead (total minus the time components worked)%n",
        s.coordinatorOverheadMs() / 1000.0);
  }

  private static long count(JsonNode stats, String name) {
    return stats.path(name).asLong(-1);
  }

  private long statBefore(Instant before) {
    return count(stats(before), "pendingBefore");
  }

  private JsonNode stats(Instant createdBefore) {
    String url =
        stack.webserverUrl()
            + "/api/v1/sim/stats"
            + (createdBefore == null ? "" : "?createdBefore=" + createdBefore);
    try {
      Http.Answer a = http.get(url, Duration.ofSeconds(2));
      return a.status() == 200 ? a.body() : Http.json().missingNode();
    } catch (IOException e) {
      return Http.json().missingNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Http.json().missingNode();
    }
  }

  private void log(String format, Object... args) {
    double t = t0 == null ? 0 : Duration.between(t0, Instant.now()).toMillis() / 1000.0;
    out.printf("[%6.1fs] %s%n", t, String.format(format, args));
  }
}
