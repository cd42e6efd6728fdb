package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sandbox kill PART}: SIGKILLs one part, as a crash would, to see what the product does
 * about it; {@code sandbox up} brings it back (and, during an upgrade, returns without waiting for
 * the servers the upgrade stopped on purpose).
 */
@Command(
    name = "kill",
    description =
        "Kills one part of the running sandbox with SIGKILL, as a crash would: coordinator, kafka,"
            + " postgres or agent-<instance> (e.g. agent-worker-1). `sandbox up` starts it again.")
final class KillCommand implements Callable<Integer> {

  @ParentCommand SandboxCli cli;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "PART", description = "coordinator, kafka, postgres, agent-<instance>")
  String part;

  @Mixin PlatformOption platform;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    Platform where = platform.requireSupported();
    Stack stack = cli.stack(where);
    boolean killed;
    try {
      killed = stack.kill(part);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    cli.out()
        .println(
            killed
                ? "✓ killed " + part + " (SIGKILL); `sandbox up` starts it again"
                : "· " + part + " was not running");
    return 0;
  }
}
