package io.kestra.upgrade.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kestra-upgrade}, the operator's command line. Exit codes: 0 done, 2 a wrong command line,
 * 1 anything else that went wrong (the message says what).
 */
@Command(
    name = "kestra-upgrade",
    mixinStandardHelpOptions = true,
    versionProvider = KestraUpgrade.Version.class,
    description = "The Kestra Upgrade Coordinator's command line.",
    subcommands = {AgentKeyCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:failed (the message says why)", "2:wrong command line"})
public final class KestraUpgrade {

  /** Runs the command line; returns its exit code. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new KestraUpgrade());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parsed) -> {
          commandLine.getErr().println("kestra-upgrade: " + e.getMessage());
          return 1;
        });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
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
