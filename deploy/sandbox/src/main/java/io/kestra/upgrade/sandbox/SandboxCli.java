package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.sandbox.stack.Database;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Stack;
import io.kestra.upgrade.sandbox.stack.StartFailedException;
import io.kestra.upgrade.sandbox.support.Poll;
import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sandbox demo|up|status|down}: the whole product on one machine (see the README). Exit
 * codes: 0 done, 1 failed (a part did not start, the demo's upgrade did not succeed or lost work),
 * 2 a wrong command line.
 */
@Command(
    name = "sandbox",
    description =
        "A whole Kestra upgrade on one machine: real Kafka, PostgreSQL, coordinator, agents and"
            + " stand-in Kestra servers, as processes of this machine or Compose services.",
    subcommands = {
      DemoCommand.class,
      NaiveCommand.class,
      CompareCommand.class,
      EstimatesCommand.class,
      UpCommand.class,
      StatusCommand.class,
      DownCommand.class,
      KillCommand.class,
      RestartAgentsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SandboxCli implements Runnable {

  /** The fleet's version before the demo's upgrade. */
  static final String FLEET_VERSION = "0.21.4";

  /** The version the rolling demo's fleet runs before its upgrade. */
  static final String ROLLING_FLEET_VERSION = "1.0.0";

  /** The sandbox's cluster name. */
  static final String CLUSTER = "sandbox";

  /** Builds the stack a command works on. */
  @FunctionalInterface
  public interface Stacks {
    /**
     * The stack of {@code fleet} on {@code platform}, its servers first installed on {@code
     * fleetVersion}.
     */
    Stack of(Platform platform, FleetSpec fleet, String fleetVersion);
  }

  private final Stacks stacks;
  private final PrintStream out;

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  /**
   * A command line over the stacks {@code stacks} gives.
   *
   * @param stacks the stack each command works on, created only once the command line is valid
   * @param out where commands report
   */
  public SandboxCli(Stacks stacks, PrintStream out) {
    this.stacks = stacks;
    this.out = out;
  }

  public static void main(String[] args) {
    SandboxCli cli =
        new SandboxCli(
            (platform, fleet, version) ->
                new Stack(Layout.detect(), Database.fromEnvironment(), fleet, version, platform),
            System.out);
    System.exit(cli.commandLine().execute(args));
  }

  /** The picocli command line, whose failures of a part are one line, not a stack trace. */
  public CommandLine commandLine() {
    return new CommandLine(this)
        .setExecutionExceptionHandler(
            (e, commandLine, parseResult) -> {
              if (e instanceof StartFailedException || e instanceof Poll.TimedOutException) {
                commandLine.getErr().println("✗ " + e.getMessage());
                return 1;
              }
              throw e;
            });
  }

  /** Without a command there is nothing to do. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "Missing a command: demo, naive, compare, estimates, up, status, down or kill (see --help)");
  }

  /** The sandbox's standard fleet on {@code platform}, installed on {@link #FLEET_VERSION}. */
  Stack stack(Platform platform) {
    return stacks.of(platform, FleetSpec.standard(CLUSTER), FLEET_VERSION);
  }

  /** {@code fleet} on {@code platform}, installed on {@code fleetVersion}. */
  Stack stack(Platform platform, FleetSpec fleet, String fleetVersion) {
    return stacks.of(platform, fleet, fleetVersion);
  }

  PrintStream out() {
    return out;
  }
}
