package io.kestra.sim.cli;

import picocli.CommandLine;

/**
 * A command that only groups subcommands ({@code server}, {@code sys}, {@code sys database}):
 * called without one, it prints its usage and exits 0, as Kestra's do.
 */
abstract class GroupCommand extends AbstractCommand {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  GroupCommand(SimContext context) {
    super(context);
  }

  @Override
  public final Integer call() {
    startLogger();
    spec.commandLine().usage(System.out);
    return 0;
  }
}
