package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.sandbox.stack.Platform;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code sandbox status}: the parts, their pids, ports and URLs, and the logs folder. */
@Command(
    name = "status",
    description = "Lists the sandbox's parts, their pids, ports and URLs, and the logs folder.")
final class StatusCommand implements Callable<Integer> {

  @ParentCommand SandboxCli cli;

  @Mixin PlatformOption platform;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    Platform where = platform.requireSupported();
    cli.stack(where).status().forEach(cli.out()::println);
    return 0;
  }
}
