package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code sandbox up}: starts the parts that are not running and leaves the stack running. */
@Command(
    name = "up",
    description =
        "Starts the sandbox's parts that are not running (all of them the first time), waits"
            + " until the fleet is ready, and leaves it running.")
final class UpCommand implements Callable<Integer> {

  @ParentCommand SandboxCli cli;

  @Mixin PlatformOption platform;

  @Mixin HelpOption help;

  @Override
  public Integer call() throws Exception {
    Platform where = platform.requireSupported();
    Stack stack = cli.stack(where);
    stack.up(cli.out());
    stack.status().forEach(cli.out()::println);
    return 0;
  }
}
