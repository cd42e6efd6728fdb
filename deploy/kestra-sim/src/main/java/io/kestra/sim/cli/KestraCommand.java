package io.kestra.sim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kestra}: without a subcommand it prints its usage and exits 0, as Kestra does. Of Kestra's
 * subcommands the simulator has {@code server} and {@code sys}; the others ({@code flow}, {@code
 * plugins}, {@code configs}, ...) are unknown to it.
 */
@Command(
    name = "kestra",
    versionProvider = VersionProvider.class,
    parameterListHeading = "%nParameters:%n",
    optionListHeading = "%nOptions:%n",
    commandListHeading = "%nCommands:%n",
    mixinStandardHelpOptions = true,
    subcommands = {ServerGroupCommand.class, SysCommand.class})
final class KestraCommand implements Callable<Integer> {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  KestraCommand(SimContext context) {
    // the context reaches the subcommands through the factory
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(System.out);
    return 0;
  }
}
