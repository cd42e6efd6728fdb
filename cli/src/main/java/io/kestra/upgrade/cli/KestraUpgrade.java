package io.kestra.upgrade.cli;

import io.kestra.upgrade.cli.agents.AgentsCommand;
import io.kestra.upgrade.cli.api.ApiFailure;
import io.kestra.upgrade.cli.upgrade.ControlCommand;
import io.kestra.upgrade.cli.upgrade.ListCommand;
import io.kestra.upgrade.cli.upgrade.PlanCommand;
import io.kestra.upgrade.cli.upgrade.ShowCommand;
import io.kestra.upgrade.cli.upgrade.StartCommand;
import io.kestra.upgrade.cli.upgrade.WatchCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kestra-upgrade}, the operator's command line: plans, starts and follows upgrades live
 * through the coordinator's REST API and event stream, controls them, lists the agents, and gives
 * installers an agent's key. The exit codes ({@link ExitCodes}) are the same for every command.
 */
@Command(
    name = "kestra-upgrade",
    mixinStandardHelpOptions = true,
    versionProvider = KestraUpgrade.Version.class,
    description = {
      "The Kestra Upgrade Coordinator's command line.",
      "The coordinator is at --server or KESTRA_UPGRADE_SERVER (default http://localhost:8090);"
          + " the bearer token comes from --token or KESTRA_UPGRADE_TOKEN."
    },
    subcommands = {
      PlanCommand.class,
      StartCommand.class,
      WatchCommand.class,
      ListCommand.class,
      ShowCommand.class,
      ControlCommand.Pause.class,
      ControlCommand.Resume.class,
      ControlCommand.Abort.class,
      ControlCommand.Rollback.class,
      AgentsCommand.class,
      AgentKeyCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done; the upgrade SUCCEEDED (start, watch)",
      "1:something else went wrong (the message says what)",
      "2:the upgrade FAILED, ROLLBACK_FAILED or was ABORTED",
      "3:the upgrade was ROLLED_BACK",
      "4:refused: invalid request, preflight error, or not allowed in this state",
      "5:the coordinator is unreachable, or the token is missing or not allowed",
      "64:wrong command line"
    })
public final class KestraUpgrade {

  private final boolean terminal;

  private KestraUpgrade(boolean terminal) {
    this.terminal = terminal;
  }

  /** Whether the output is a terminal: live progress is then redrawn in place. */
  boolean terminal() {
    return terminal;
  }

  /**
   * Runs the command line, as {@code bin/kestra-upgrade} does, and returns its exit code.
   *
   * @param terminal whether {@code out} is a terminal (else plain lines, for logs and pipes)
   */
  public static int run(PrintWriter out, PrintWriter err, boolean terminal, String... args) {
    CommandLine cli = new CommandLine(new KestraUpgrade(terminal));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
    // picocli's own code for a wrong command line is 2, which here says the upgrade failed
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          usage.handleParseException(e, args2);
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          PrintWriter w = commandLine.getErr();
          w.println("kestra-upgrade: " + e.getMessage());
          if (e instanceof ApiFailure failure) {
            failure.details().forEach(d -> w.println("  " + d));
            w.flush();
            return failure.exitCode();
          }
          w.flush();
          return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.ERROR;
        });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, System.console() != null, args));
  }

  /** The version of this build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = KestraUpgrade.class.getPackage().getImplementationVersion();
      return new String[] {"kestra-upgrade " + (v == null ? "(development build)" : v)};
    }
  }
}
