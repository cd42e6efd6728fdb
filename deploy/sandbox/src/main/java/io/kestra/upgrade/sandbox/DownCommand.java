package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.sandbox.stack.Platform;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code sandbox down}: stops everything and removes everything but the logs. */
@Command(
    name = "down",
    description =
        "Stops every part, the Kestra servers included, and removes the sandbox's data; its logs"
            + " stay.")
final class DownCommand implements Callable<Integer> {

  @ParentCommand SandboxCli cli;

  @Mixin PlatformOption platform;

  @Mixin HelpOption help;

  @Override
  public Integer call() throws Exception {
    Platform where = platform.requireSupported();
    cli.stack(where).down(cli.out());
    return 0;
  }
}
