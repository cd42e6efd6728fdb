package io.kestra.sim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kestra sys database}: prints its usage without a subcommand. */
@Command(
    name = "database",
    description = "Manage Kestra database",
    mixinStandardHelpOptions = true,
    subcommands = {DatabaseMigrateCommand.class})
final class DatabaseCommand extends AbstractCommand {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  DatabaseCommand(SimContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    startLogger();
    spec.commandLine().usage(System.out);
    return 0;
  }
}
