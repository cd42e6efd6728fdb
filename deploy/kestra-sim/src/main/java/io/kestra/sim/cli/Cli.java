package io.kestra.sim.cli;

import picocli.CommandLine;

/** Builds Kestra's command line for one process. */
public final class Cli {

  private Cli() {}

  /** A fresh command line: {@code kestra} and the subcommands the simulator implements. */
  public static CommandLine commandLine(SimContext context) {
    CommandFactory factory = new CommandFactory(context);
    try {
      return new CommandLine(factory.create(KestraCommand.class), factory);
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the command line", e);
    }
  }
}
