package io.kestra.sim.cli;

import picocli.CommandLine.Command;

/** {@code kestra server}: without a server type it prints its usage and exits 0, as Kestra does. */
@Command(
    name = "server",
    description = "handle servers",
    mixinStandardHelpOptions = true,
    subcommands = {
      ExecutorCommand.class,
      IndexerCommand.class,
      SchedulerCommand.class,
      StandAloneCommand.class,
      WebServerCommand.class,
      WorkerCommand.class,
      LocalCommand.class
    })
final class ServerGroupCommand extends GroupCommand {

  ServerGroupCommand(SimContext context) {
    super(context);
  }
}
