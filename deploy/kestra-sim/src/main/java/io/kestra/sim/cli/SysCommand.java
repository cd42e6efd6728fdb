package io.kestra.sim.cli;

import picocli.CommandLine.Command;

/**
 * {@code kestra sys}: prints its usage without a subcommand. Of Kestra's system commands the
 * simulator has {@code database migrate} only.
 */
@Command(
    name = "sys",
    description = "handle systems maintenance",
    mixinStandardHelpOptions = true,
    subcommands = {DatabaseCommand.class})
final class SysCommand extends GroupCommand {

  SysCommand(SimContext context) {
    super(context);
  }
}
