package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.sandbox.demo.Demo;
import io.kestra.upgrade.sandbox.demo.Naive;
import io.kestra.upgrade.sandbox.demo.Summary;
import io.kestra.upgrade.sandbox.stack.KestraConfig;
import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Stack;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sandbox naive}: a fresh stack upgraded the upgrade guide's own way, without the
 * coordinator, under the demo's load; a summary with the demo's keys, then everything stopped.
 */
@Command(
    name = "naive",
    description =
        "Starts a fresh sandbox and upgrades its fleet from "
            + SandboxCli.FLEET_VERSION
            + " the upgrade guide's own way, without the coordinator: on compose, the image tag"
            + " changed in the Compose file and docker-compose up -d with Compose's defaults (the"
            + " servers migrating as they start); on process, every server stopped with a 10 s"
            + " kill, one migration, every server started. Prints the demo's summary, then stops"
            + " everything. Exit code 0 when every server came up on the target.")
final class NaiveCommand implements Callable<Integer> {

  @ParentCommand SandboxCli cli;

  @Mixin PlatformOption platform;

  @Mixin HelpOption help;

  @Mixin TargetOptions upgrade;

  @Override
  public Integer call() throws Exception {
    Platform where = platform.requireSupported();
    PrintStream out = cli.out();
    Stack stack = cli.stack(where).withProfile(guideProfile(KestraConfig.Profile.DEMO, where));
    Summary summary = naive(stack, upgrade.targetOr(TargetOptions.DEFAULT_TARGET), out);
    if (summary == null) {
      return 1;
    }
    Demo.print(summary, out);
    Summaries.write(upgrade.summaryFile, summary, out);
    return summary.state().equals("SUCCEEDED") ? 0 : 1;
  }

  /**
   * The guide's way on {@code where} relies on Kestra's migration at start on Compose ({@code up
   * -d} is all it does), not on processes (which migrate once).
   */
  static KestraConfig.Profile guideProfile(KestraConfig.Profile load, Platform where) {
    return load.migratingAtStart(where == Platform.COMPOSE);
  }

  /** On a fresh {@code stack}: up, the naive upgrade, down; null when a sandbox already runs. */
  static Summary naive(Stack stack, KestraVersion target, PrintStream out) throws Exception {
    if (stack.anyRunning()) {
      out.println(
          "✗ a sandbox is already running: 'sandbox status' shows it, 'sandbox down' stops it");
      return null;
    }
    stack.wipe();
    try {
      stack.up(out);
      return new Naive(stack, out).run(SandboxCli.FLEET_VERSION, target);
    } finally {
      stack.down(out);
    }
  }
}
