package io.kestra.upgrade.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.sandbox.demo.Demo;
import io.kestra.upgrade.sandbox.demo.Summary;
import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Stack;
import io.kestra.upgrade.sandbox.support.Http;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sandbox estimates}: a benchmark of the plan's estimates. On one fresh stack, a first
 * upgrade (0.21.4 → 0.22.0) gives the coordinator its measurements; the second (0.22.0 → 1.0.0) is
 * planned from them; each phase's estimate is then set against what it took, and the API's expected
 * downtime against the probe's.
 */
@Command(
    name = "estimates",
    description =
        "Benchmarks the plan's estimates: upgrades a fresh sandbox 0.21.4 → 0.22.0, then plans and"
            + " runs 0.22.0 → 1.0.0, and prints each phase's expected duration (from the first"
            + " upgrade's measurements) and bound against what it took. Exit code 0 when both"
            + " upgrades succeeded with nothing lost.")
final class EstimatesCommand implements Callable<Integer> {

  private static final KestraVersion FIRST = KestraVersion.parse("0.22.0");
  private static final KestraVersion SECOND = KestraVersion.parse("1.0.0");

  @ParentCommand SandboxCli cli;

  @Mixin PlatformOption platform;

  @Mixin HelpOption help;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "Also write the figures as JSON to FILE.")
  Path summaryFile;

  /**
   * One phase of the second upgrade.
   *
   * @param phase the phase
   * @param expectedMs what the plan expected, or {@code null} when it had no measurement
   * @param atMostMs what the plan bounded it by
   * @param actualMs what it took
   */
  record PhaseFigures(String phase, Long expectedMs, long atMostMs, long actualMs) {}

  /**
   * The benchmark's figures.
   *
   * @param first the first upgrade's summary
   * @param second the second's
   * @param phases each phase of the second, estimate against actual
   * @param totalExpectedMs the plan's expectation of the whole second upgrade
   * @param apiExpectedMs the plan's expected API downtime
   * @param apiAtMostMs its bound
   */
  record Figures(
      Summary first,
      Summary second,
      List<PhaseFigures> phases,
      Long totalExpectedMs,
      Long apiExpectedMs,
      Long apiAtMostMs) {}

  @Override
  public Integer call() throws Exception {
    Platform where = platform.requireSupported();
    PrintStream out = cli.out();
    Stack stack = cli.stack(where);
    if (stack.anyRunning()) {
      out.println(
          "✗ a sandbox is already running: 'sandbox status' shows it, 'sandbox down' stops it");
      return 1;
    }
    stack.wipe();
    Figures figures;
    try {
      stack.up(out);
      out.println("══ 1/2: " + SandboxCli.FLEET_VERSION + " → " + FIRST + ", measured ══");
      Summary first = new Demo(stack, out).run(options(FIRST));
      if (!first.state().equals("SUCCEEDED")) {
        out.println("✗ the first upgrade ended " + first.state());
        return 1;
      }
      out.println("══ 2/2: " + FIRST + " → " + SECOND + ", planned from the first ══");
      JsonNode plan = plan(stack);
      Summary second = new Demo(stack, out).run(options(SECOND));
      figures = figures(stack, plan, first, second);
    } finally {
      stack.down(out);
    }
    print(figures, out);
    Summaries.write(summaryFile, figures, out);
    boolean ok =
        figures.first().tasks().lost() == 0
            && figures.second().state().equals("SUCCEEDED")
            && figures.second().tasks().lost() == 0;
    return ok ? 0 : 1;
  }

  private static Demo.Options options(KestraVersion target) {
    return new Demo.Options(target, null, Duration.ofSeconds(10), null);
  }

  private static JsonNode plan(Stack stack) throws IOException, InterruptedException {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("cluster", stack.fleet().cluster());
    request.put("targetVersion", SECOND.toString());
    request.put("killMargin", "PT10S");
    request.put("acknowledgeBreakingChanges", true);
    Http.Answer a =
        stack.coordinatorClient().post(stack.coordinatorUrl() + "/api/v1/upgrades/plan", request);
    if (a.status() != 200) {
      throw new IllegalStateException("the plan was refused: " + a.status() + " " + a.body());
    }
    return a.body();
  }

  private static Figures figures(Stack stack, JsonNode plan, Summary first, Summary second)
      throws IOException, InterruptedException {
    JsonNode upgrade =
        stack
            .coordinatorClient()
            .get(
                stack.coordinatorUrl() + "/api/v1/upgrades/" + second.upgradeId(),
                Duration.ofSeconds(5))
            .body();
    List<PhaseFigures> phases = new ArrayList<>();
    for (JsonNode p : upgrade.path("phases")) {
      phases.add(
          new PhaseFigures(
              p.path("phase").asText(),
              p.hasNonNull("estimatedMs") ? p.path("estimatedMs").asLong() : null,
              p.path("atMostMs").asLong(),
              p.path("durationMs").asLong()));
    }
    JsonNode estimate = plan.path("estimate");
    return new Figures(
        first,
        second,
        phases,
        millis(estimate.path("total").path("expected")),
        millis(estimate.path("api").path("expected")),
        millis(estimate.path("api").path("atMost")));
  }

  private static Long millis(JsonNode isoDuration) {
    return isoDuration.isTextual() ? Duration.parse(isoDuration.asText()).toMillis() : null;
  }

  static void print(Figures f, PrintStream out) {
    out.println();
    out.printf(
        "══ estimates of the second upgrade (%s → %s), from the first's measurements ══%n",
        f.second().fromVersion(), f.second().toVersion());
    out.printf("%-14s %10s %10s %10s %12s%n", "phase", "expected", "actual", "error", "at most");
    for (PhaseFigures p : f.phases()) {
      out.printf(
          "%-14s %10s %10s %10s %12s%n",
          p.phase(),
          seconds(p.expectedMs()),
          seconds(p.actualMs()),
          error(p.expectedMs(), p.actualMs()),
          seconds(p.atMostMs()));
    }
    out.printf(
        "%-14s %10s %10s %10s%n",
        "total",
        seconds(f.totalExpectedMs()),
        seconds(f.second().totalMs()),
        error(f.totalExpectedMs(), f.second().totalMs()));
    out.printf(
        "%-14s %10s %10s %10s %12s%n",
        "API downtime",
        seconds(f.apiExpectedMs()),
        seconds(f.second().apiDowntimeMs()),
        error(f.apiExpectedMs(), f.second().apiDowntimeMs()),
        seconds(f.apiAtMostMs()));
    out.println(
        "(seconds; error = actual − expected; the API downtime measured by the probe every 50 ms)");
  }

  private static String seconds(Long ms) {
    return ms == null ? "—" : String.format("%.1f s", ms / 1000.0);
  }

  private static String error(Long expected, long actual) {
    if (expected == null) {
      return "—";
    }
    return String.format("%+.1f s", (actual - expected) / 1000.0);
  }
}
