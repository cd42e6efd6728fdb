package io.kestra.sim.cli;

import picocli.CommandLine.Command;

/** {@code kestra sys database}: prints its usage without a subcommand. */
@Command(
    name = "database",
    description = "Manage Kestra database",
    mixinStandardHelpOptions = true,
    subcommands = {DatabaseMigrateCommand.class})
final class DatabaseCommand extends GroupCommand {

  DatabaseCommand(SimContext context) {
    super(context);
  }
}
