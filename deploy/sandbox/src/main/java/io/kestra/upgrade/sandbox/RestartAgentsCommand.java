package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Stack;
import io.kestra.upgrade.sandbox.stack.StartFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sandbox restart-agents [--agent-jar JAR]}: the rolling restart of the agents themselves,
 * as an operator rolls out a new agent build, without touching Kestra.
 */
@Command(
    name = "restart-agents",
    description = {
      "Restarts the running sandbox's agents one at a time, as an operator rolls out a new agent"
          + " build: each is stopped, started again (on --agent-jar, else on this build) and"
          + " awaited until the coordinator hears it with its server ready, before the next. The"
          + " Kestra servers keep running: each agent adopts its own. Refused during an upgrade.",
      "Exit codes: 0 every agent back and every Kestra server the one that ran before; 1 a server"
          + " was restarted or an agent did not come back; 2 bad input or an upgrade in flight."
    })
final class RestartAgentsCommand implements Callable<Integer> {

  @ParentCommand SandboxCli cli;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--agent-jar",
      paramLabel = "JAR",
      description =
          "the agent build to restart on: the quarkus-run.jar of its Quarkus build, with its lib/"
              + " beside it (default: this checkout's component-agent build)")
  Path agentJar;

  @Mixin PlatformOption platform;

  @Mixin HelpOption help;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Platform where = platform.requireSupported();
    if (agentJar != null && !Files.isRegularFile(agentJar)) {
      throw new ParameterException(spec.commandLine(), "--agent-jar: no such file: " + agentJar);
    }
    Stack stack = cli.stack(where);
    Instant started = Instant.now();
    boolean untouched;
    try {
      untouched = stack.restartAgents(cli.out(), Optional.ofNullable(agentJar));
    } catch (IllegalStateException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (StartFailedException e) {
      cli.out().println("✗ " + e.getMessage());
      return 1;
    }
    long seconds = Duration.between(started, Instant.now()).toSeconds();
    if (!untouched) {
      cli.out()
          .println("✗ agents restarted in " + seconds + " s, but a Kestra server was restarted");
      return 1;
    }
    cli.out()
        .println(
            "✓ "
                + stack.fleet().servers().size()
                + " agents restarted one at a time in "
                + seconds
                + " s; every Kestra server is the one that ran before");
    return 0;
  }
}
