package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.sandbox.demo.Demo;
import io.kestra.upgrade.sandbox.demo.Summary;
import io.kestra.upgrade.sandbox.stack.KestraConfig;
import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Stack;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sandbox compare}: the naive upgrade, then the coordinated one, each on a fresh stack under
 * the same load of task runs longer than Compose's 10 s stop time-out and shorter than the grace
 * period; both summaries side by side, and in one JSON.
 */
@Command(
    name = "compare",
    description =
        "Upgrades a fresh sandbox the guide's way (sandbox naive), then another with the"
            + " coordinator (sandbox demo), under the same load of 12 to 16 s task runs, and prints"
            + " them side by side. Exit code 0 when the coordinated upgrade succeeded with nothing"
            + " lost.")
final class CompareCommand implements Callable<Integer> {

  @ParentCommand SandboxCli cli;

  @Mixin PlatformOption platform;

  @Mixin HelpOption help;

  @Mixin TargetOptions upgrade;

  @Override
  public Integer call() throws Exception {
    Platform where = platform.requireSupported();
    PrintStream out = cli.out();
    Stack base = cli.stack(where);
    out.println("══ 1/2 naive: the guide's way ══════════════════════════");
    Summary naive =
        NaiveCommand.naive(
            base.withProfile(KestraConfig.Profile.LONG_TASKS.migratingAtStart(true)),
            upgrade.targetOr(TargetOptions.DEFAULT_TARGET),
            out);
    if (naive == null) {
      return 1;
    }
    out.println("══ 2/2 coordinated ═════════════════════════════════════");
    Stack coordinatedStack = base.withProfile(KestraConfig.Profile.LONG_TASKS);
    Summary coordinated;
    coordinatedStack.wipe();
    try {
      coordinatedStack.up(out);
      coordinated =
          new Demo(coordinatedStack, out)
              .run(
                  new Demo.Options(
                      upgrade.targetOr(TargetOptions.DEFAULT_TARGET),
                      null,
                      Duration.ofSeconds(10),
                      null));
    } finally {
      coordinatedStack.down(out);
      Files.deleteIfExists(coordinatedStack.layout().faults());
    }
    print(naive, coordinated, out);
    Map<String, Summary> both = new LinkedHashMap<>();
    both.put("naive", naive);
    both.put("coordinated", coordinated);
    Summaries.write(upgrade.summaryFile, both, out);
    return coordinated.state().equals("SUCCEEDED") && coordinated.tasks().lost() == 0 ? 0 : 1;
  }

  /** The two columns. */
  static void print(Summary naive, Summary coordinated, PrintStream out) {
    out.println();
    out.printf("══ %s → %s on %s ══%n", naive.fromVersion(), naive.toVersion(), naive.platform());
    out.printf("%-34s %16s %16s%n", "", "naive", "coordinated");
    row(out, "state", naive, coordinated, Summary::state);
    row(out, "total (s)", naive, coordinated, s -> seconds(s.totalMs()));
    row(
        out,
        "in-flight work done after (s)",
        naive,
        coordinated,
        s -> s.longTasksDoneMs() == null ? "never" : seconds(s.longTasksDoneMs()));
    row(out, "API downtime (s)", naive, coordinated, s -> seconds(s.apiDowntimeMs()));
    row(out, "failed API probes", naive, coordinated, s -> Long.toString(s.apiFailedRequests()));
    row(out, "task runs forced", naive, coordinated, s -> Long.toString(s.tasks().forced()));
    row(
        out,
        "task runs resubmitted",
        naive,
        coordinated,
        s -> Long.toString(s.tasks().resubmitted()));
    row(out, "executions lost", naive, coordinated, s -> Long.toString(s.tasks().lost()));
  }

  private static void row(
      PrintStream out,
      String name,
      Summary naive,
      Summary coordinated,
      Function<Summary, String> value) {
    out.printf("%-34s %16s %16s%n", name, value.apply(naive), value.apply(coordinated));
  }

  private static String seconds(long ms) {
    return String.format("%.1f", ms / 1000.0);
  }
}
