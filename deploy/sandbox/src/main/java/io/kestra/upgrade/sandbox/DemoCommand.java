package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.sandbox.demo.Demo;
import io.kestra.upgrade.sandbox.demo.Summary;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Stack;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code sandbox demo}: a fresh stack, an upgrade with executions in flight, a summary, then
 * everything stopped. Exit code 0 only when the upgrade SUCCEEDED (ROLLED_BACK, with {@code
 * --fail-at}) and no execution was lost.
 */
@Command(
    name = "demo",
    description =
        "Starts a fresh sandbox, upgrades its fleet (by default from "
            + SandboxCli.FLEET_VERSION
            + ") with executions in flight, prints the progress and a summary, then stops"
            + " everything. Exit code 0 only when the upgrade succeeded and no execution was lost.")
final class DemoCommand implements Callable<Integer> {

  @ParentCommand SandboxCli cli;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin PlatformOption platform;

  @Mixin HelpOption help;

  @Mixin TargetOptions upgrade;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      description =
          "The upgrade's grace period for every server's stop, ISO-8601 (default: each server's"
              + " own, as its agent reports it: 20 s in the sandbox).")
  Duration grace;

  @Option(
      names = "--kill-margin",
      paramLabel = "DURATION",
      defaultValue = "PT10S",
      description =
          "Time after the grace period before a server is killed, ISO-8601"
              + " (default: ${DEFAULT-VALUE}).")
  Duration killMargin;

  @Option(
      names = "--fail-at",
      paramLabel = "PHASE",
      description =
          "Make PHASE fail on the target (${COMPLETION-CANDIDATES}), to show the automatic"
              + " rollback: the first backup restored after a second one, every server started"
              + " again on "
              + SandboxCli.FLEET_VERSION
              + ". Exit code 0 then only when the upgrade ROLLED_BACK and no execution was lost.")
  Demo.FailAt failAt;

  @Option(
      names = "--strategy",
      paramLabel = "STRATEGY",
      defaultValue = "FULL_STOP",
      description =
          "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). ROLLING upgrades a fleet of two"
              + " webservers and three workers (with an executor, a scheduler and an indexer) from "
              + SandboxCli.ROLLING_FLEET_VERSION
              + " to "
              + ROLLING_TARGET
              + ", a patch that keeps the schema, one server at a time, behind an API probe that"
              + " fails over between the webservers as a load balancer would: exit code 0 only"
              + " when no API call failed either.")
  Demo.Strategy strategy;

  @Option(
      names = "--from",
      paramLabel = "VERSION",
      converter = VersionConverter.class,
      description =
          "The version the fleet runs before the upgrade (default: "
              + SandboxCli.FLEET_VERSION
              + "; for --strategy ROLLING, "
              + SandboxCli.ROLLING_FLEET_VERSION
              + ").")
  KestraVersion from;

  @Option(
      names = "--migration",
      paramLabel = "MIGRATION",
      defaultValue = "MANUAL",
      description =
          "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). MANUAL_AHEAD takes the backup and"
              + " runs the migration while the old version serves (by default from "
              + SandboxCli.ROLLING_FLEET_VERSION
              + " to "
              + AHEAD_TARGET
              + ", a patch whose migration "
              + SandboxCli.ROLLING_FLEET_VERSION
              + " runs on); compare the executors' downtime with MANUAL's, on the same"
              + " --migration-duration.")
  Demo.Migration migration;

  @Option(
      names = "--migration-duration",
      paramLabel = "DURATION",
      description =
          "How much longer each migration with work to do takes on the stand-in, ISO-8601, as a"
              + " large database's would (default: none).")
  Duration migrationDuration;

  /** The rolling demo's default target: a patch of its fleet's version that keeps the schema. */
  static final String ROLLING_TARGET = "1.0.1";

  /**
   * The MANUAL_AHEAD demo's default target: a patch whose migration its fleet's version runs on.
   */
  static final String AHEAD_TARGET = "1.0.2";

  @Override
  public Integer call() throws Exception {
    Platform where = platform.requireSupported();
    boolean rolling = strategy == Demo.Strategy.ROLLING;
    if (rolling && failAt == Demo.FailAt.MIGRATE) {
      throw new ParameterException(
          spec.commandLine(),
          "--fail-at MIGRATE needs a migration, and a rolling upgrade to a patch that keeps the"
              + " schema has none: use --fail-at START");
    }
    boolean ahead = migration == Demo.Migration.MANUAL_AHEAD;
    if (rolling && ahead) {
      throw new ParameterException(
          spec.commandLine(),
          "--migration MANUAL_AHEAD is a FULL_STOP's: a rolling upgrade migrates ahead by itself"
              + " where the old version runs on the new schema");
    }
    if (migrationDuration != null) {
      requirePositive("--migration-duration", migrationDuration);
    }
    KestraVersion fleetVersion =
        from != null
            ? from
            : KestraVersion.parse(
                rolling || ahead ? SandboxCli.ROLLING_FLEET_VERSION : SandboxCli.FLEET_VERSION);
    KestraVersion target =
        upgrade.targetOr(
            rolling ? ROLLING_TARGET : ahead ? AHEAD_TARGET : TargetOptions.DEFAULT_TARGET);
    if (grace != null) {
      requirePositive("--grace", grace);
    }
    requirePositive("--kill-margin", killMargin);
    PrintStream out = cli.out();
    Stack stack =
        cli.stack(
            where,
            rolling
                ? FleetSpec.rolling(SandboxCli.CLUSTER)
                : FleetSpec.standard(SandboxCli.CLUSTER),
            fleetVersion.toString());
    if (migrationDuration != null) {
      stack =
          stack.withProfile(
              stack.fleet().profile().migrationTaking(migrationDuration.toMillis() + "ms"));
    }
    if (stack.anyRunning()) {
      out.println(
          "✗ a sandbox is already running: 'sandbox status' shows it, 'sandbox down' stops it");
      return 1;
    }
    stack.wipe();
    Summary summary;
    try {
      stack.up(out);
      summary =
          new Demo(stack, out)
              .run(new Demo.Options(target, grace, killMargin, failAt, strategy, migration));
    } finally {
      stack.down(out);
      // a fault switch left behind would make the next upgrade of this sandbox fail too
      Files.deleteIfExists(stack.layout().faults());
    }
    Demo.print(summary, out);
    Summaries.write(upgrade.summaryFile, summary, out);
    out.println("logs: " + stack.layout().logs());
    String wanted = failAt == null ? "SUCCEEDED" : "ROLLED_BACK";
    boolean apiUp = !rolling || summary.apiFailedRequests() == 0;
    return summary.state().equals(wanted) && summary.tasks().lost() == 0 && apiUp ? 0 : 1;
  }

  private void requirePositive(String option, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new ParameterException(
          spec.commandLine(), option + " must be a positive duration, not " + d);
    }
  }

  /** Reads {@code --target}, with the version grammar's own message when it does not parse. */
  static final class VersionConverter implements ITypeConverter<KestraVersion> {
    @Override
    public KestraVersion convert(String value) {
      try {
        return KestraVersion.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
