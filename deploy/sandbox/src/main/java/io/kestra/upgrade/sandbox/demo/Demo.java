package io.kestra.upgrade.sandbox.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.cli.KestraUpgrade;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.sandbox.stack.Stack;
import io.kestra.upgrade.sandbox.support.Http;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The product's main job on one machine: with executions flowing through the stand-in fleet, asks
 * the coordinator to upgrade it with the operator's command line ({@code kestra-upgrade start},
 * which follows it live), lets the fleet settle, and sums up.
 */
public final class Demo {

  /** The plan's findings about the releases an upgrade crosses and what they do to the schema. */
  private static final Set<String> RELEASE_FINDINGS =
      Set.of(
          "BREAKING_CHANGES",
          "LONG_MIGRATION",
          "RELEASE_UNKNOWN",
          "SCHEMA_KEPT",
          "SCHEMA_TOLERATED");

  /**
   * What to upgrade to, and how.
   *
   * @param targetVersion the target
   * @param gracePeriod the grace period for the stop of every server, or {@code null} for each
   *     server's own
   * @param killMargin time after the grace period before a server is killed
   * @param failAt the phase made to fail, to show the rollback, or {@code null}
   * @param strategy how the servers are replaced
   * @param migration when the schema is migrated
   */
  public record Options(
      KestraVersion targetVersion,
      Duration gracePeriod,
      Duration killMargin,
      FailAt failAt,
      Strategy strategy,
      Migration migration) {

    /** A FULL_STOP upgrade, migrated by one agent while every server is stopped. */
    public Options(
        KestraVersion targetVersion, Duration gracePeriod, Duration killMargin, FailAt failAt) {
      this(targetVersion, gracePeriod, killMargin, failAt, Strategy.FULL_STOP, Migration.MANUAL);
    }

    /** An upgrade by {@code strategy}, migrated by one agent as the strategy does. */
    public Options(
        KestraVersion targetVersion,
        Duration gracePeriod,
        Duration killMargin,
        FailAt failAt,
        Strategy strategy) {
      this(targetVersion, gracePeriod, killMargin, failAt, strategy, Migration.MANUAL);
    }
  }

  /** The upgrade's {@code migration}, as the coordinator's REST API names it. */
  public enum Migration {
    /** One agent migrates while every server is stopped. */
    MANUAL,
    /** The backup and the migration while the old version serves: only the restarts are down. */
    MANUAL_AHEAD
  }

  /** The upgrade's {@code strategy}, as the coordinator's REST API names it. */
  public enum Strategy {
    /** Every server stopped in the guide's order, the schema migrated, every server started. */
    FULL_STOP,
    /**
     * One server at a time, kind by kind, each staying ready {@link #ROLLING_MIN_HEALTHY} before
     * the next: for a target that keeps the schema.
     */
    ROLLING
  }

  /** How long the rolling demo's restarted servers must stay ready before the next one goes. */
  public static final Duration ROLLING_MIN_HEALTHY = Duration.ofSeconds(2);

  /**
   * A phase the demo can make fail, and the stand-in's fault switch that does it for a target: a
   * failed phase after the migration shows the whole rollback (second backup, restore, start on the
   * previous version).
   */
  public enum FailAt {
    /** The schema migration fails part-way. */
    MIGRATE("migration.fail="),
    /** The workers crash as they start on the target. */
    START("startup.crash=worker@");

    private final String switchPrefix;

    FailAt(String switchPrefix) {
      this.switchPrefix = switchPrefix;
    }

    /** The fault file's line that makes this phase fail on {@code target}. */
    public String faultLine(KestraVersion target) {
      return switchPrefix + target + "\n";
    }
  }

  private final Stack stack;

  /** The coordinator's API, with the sandbox's operator token. */
  private final Http api;

  private final FleetLoad load;

  private final PrintStream out;

  public Demo(Stack stack, PrintStream out) {
    this.stack = stack;
    this.api = stack.coordinatorClient();
    this.out = out;
    this.load = new FleetLoad(stack.apiUrls(), out);
  }

  /** Runs the upgrade and returns its summary. */
  public Summary run(Options options) throws IOException, InterruptedException {
    load.awaitFlowing();

    if (options.failAt() != null) {
      java.nio.file.Files.writeString(
          stack.layout().faults(), options.failAt().faultLine(options.targetVersion()));
      out.printf(
          "· %s will fail on %s (fault switch in %s): the upgrade rolls back%n",
          options.failAt(), options.targetVersion(), stack.layout().faults());
    }
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("cluster", stack.fleet().cluster());
    request.put("targetVersion", options.targetVersion().toString());
    request.put("strategy", options.strategy().name());
    request.put("migration", options.migration().name());
    // the demo is the operator who read the release notes: it acknowledges the breaking changes
    // the coordinator's catalog lists, and shows them first, as the plan gives them
    request.put("acknowledgeBreakingChanges", true);
    showReleaseFindings(request);
    Instant t0 = Instant.now();
    try (ApiProbe probe = new ApiProbe(stack.apiUrls()).start();
        FleetLoad.Watch inFlight = load.watchInFlight(t0)) {
      StringWriter refusal = new StringWriter();
      int code = startWithTheCommandLine(options, refusal);
      probe.close();
      Instant ended = Instant.now();
      JsonNode upgrade = newestUpgrade();
      if (code == ExitCodes.REFUSED || code == ExitCodes.UNREACHABLE || upgrade == null) {
        throw new IllegalStateException(
            "the coordinator did not run the upgrade (kestra-upgrade start exited "
                + code
                + "): "
                + refusal.toString().strip());
      }
      load.settle(ended);
      return summarise(upgrade, probe.result(), inFlight.doneMs());
    }
  }

  /**
   * Starts the upgrade and follows it to its end with {@code kestra-upgrade start}, as an operator
   * would: what it prints is what the demo shows, and what it says of a refusal also goes into
   * {@code refusal}. Returns its exit code.
   */
  private int startWithTheCommandLine(Options options, StringWriter refusal) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("start", "--cluster", stack.fleet().cluster()));
    args.addAll(List.of("--target", options.targetVersion().toString()));
    args.addAll(List.of("--strategy", options.strategy().name()));
    args.addAll(List.of("--migration", options.migration().name()));
    if (options.strategy() == Strategy.ROLLING) {
      args.addAll(List.of("--min-healthy", ROLLING_MIN_HEALTHY.toString()));
    }
    if (options.gracePeriod() != null) {
      args.addAll(List.of("--grace-period", options.gracePeriod().toString()));
    }
    args.addAll(List.of("--kill-margin", options.killMargin().toString()));
    args.add("--acknowledge-breaking-changes");
    args.addAll(List.of("--server", stack.coordinatorUrl()));
    args.addAll(List.of("--token", stack.credentials().operator()));
    out.printf(
        "$ bin/kestra-upgrade %s%n",
        String.join(" ", args.subList(0, args.size() - 2))
            + " --token $(cat "
            + stack.credentials().operatorToken()
            + ")");
    PrintWriter writer = new PrintWriter(out, true);
    PrintWriter errors = new PrintWriter(refusal, true);
    int code =
        KestraUpgrade.run(writer, errors, System.console() != null, args.toArray(String[]::new));
    // what it said of a refusal: on the demo's output, and in the exception that stops it
    writer.print(refusal);
    writer.flush();
    return code;
  }

  /** The cluster's newest upgrade, the one the command line started, with all its steps. */
  private JsonNode newestUpgrade() throws IOException, InterruptedException {
    Http.Answer list =
        api.get(
            stack.coordinatorUrl() + "/api/v1/upgrades?limit=1&cluster=" + stack.fleet().cluster(),
            Duration.ofSeconds(10));
    String id = list.body().path(0).path("id").asText(null);
    if (list.status() != 200 || id == null) {
      return null;
    }
    return api.get(stack.coordinatorUrl() + "/api/v1/upgrades/" + id, Duration.ofSeconds(10))
        .body();
  }

  /** Prints what the plan says of the releases crossed (breaking changes, long migrations). */
  private void showReleaseFindings(Map<String, Object> request)
      throws IOException, InterruptedException {
    Http.Answer plan = api.post(stack.coordinatorUrl() + "/api/v1/upgrades/plan", request);
    for (JsonNode f : plan.body().path("findings")) {
      if (RELEASE_FINDINGS.contains(f.path("code").asText())) {
        out.printf("· %s: %s%n", f.path("code").asText(), f.path("message").asText());
      }
    }
  }

  private Summary summarise(JsonNode u, Summary.Probe probe, Long longTasksDoneMs) {
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
    Summary.Tasks tasks = load.tasks();
    return new Summary(
        stack.platform().wire(),
        u.path("state").asText(),
        u.path("id").asText(),
        u.path("fromVersion").asText(),
        u.path("toVersion").asText(),
        total,
        probe.downtimeMs(),
        probe.failed(),
        Math.max(0, total - working),
        phases,
        longTasksDoneMs,
        tasks,
        probe,
        executorsDown(u));
  }

  /**
   * How long no executor ran: each executor is down from the sending of its STOP (or RESTART) to
   * the end of its START (or RESTART); nothing is processed while all are.
   */
  static Long executorsDown(JsonNode upgrade) {
    Map<String, long[]> spans = new LinkedHashMap<>();
    for (JsonNode s : upgrade.path("steps")) {
      String agent = s.path("agentId").asText();
      String type = s.path("type").asText();
      if (!agent.contains("/executor/") || s.path("phase").asText().startsWith("ROLLBACK")) {
        continue;
      }
      long[] span = spans.computeIfAbsent(agent, a -> new long[] {-1, -1});
      if ((type.equals("STOP") || type.equals("RESTART")) && s.hasNonNull("sentAt")) {
        span[0] = Instant.parse(s.path("sentAt").asText()).toEpochMilli();
      }
      if ((type.equals("START") || type.equals("RESTART")) && s.hasNonNull("finishedAt")) {
        span[1] = Instant.parse(s.path("finishedAt").asText()).toEpochMilli();
      }
    }
    if (spans.isEmpty() || spans.values().stream().anyMatch(x -> x[0] < 0 || x[1] < 0)) {
      return null;
    }
    long from = spans.values().stream().mapToLong(x -> x[0]).max().orElseThrow();
    long to = spans.values().stream().mapToLong(x -> x[1]).min().orElseThrow();
    return Math.max(0, to - from);
  }

  /** Prints the summary for a human. */
  public static void print(Summary s, PrintStream out) {
    out.println();
    out.println("══ summary ══════════════════════════════════════════");
    out.printf(
        "upgrade          %s  %s → %s (%s%s)%n",
        s.state(),
        s.fromVersion(),
        s.toVersion(),
        s.platform(),
        s.upgradeId() == null ? ", naive: the guide's own way" : "");
    out.printf("total            %.1f s%n", s.totalMs() / 1000.0);
    if (s.phases() != null) {
      s.phases().forEach((p, ms) -> out.printf("  %-16s %6.1f s%n", p, ms / 1000.0));
    }
    out.printf(
        "in-flight work   %s%n",
        s.longTasksDoneMs() == null
            ? "never all completed"
            : String.format(
                "the last execution running at the start completed %.1f s after it",
                s.longTasksDoneMs() / 1000.0));
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
        "                 %d forced, %d resubmitted, %d lost, %d dropped by a restore%n",
        s.tasks().forced(), s.tasks().resubmitted(), s.tasks().lost(), s.tasks().dropped());
    if (s.executorsDownMs() != null) {
      out.printf(
          "executors down   %.2f s (no execution processed: last executor stopped → first started)%n",
          s.executorsDownMs() / 1000.0);
    }
    if (s.coordinatorOverheadMs() != null) {
      out.printf(
          "coordinator      %.2f s of overhead (total minus the time components worked)%n",
          s.coordinatorOverheadMs() / 1000.0);
    }
  }
}
