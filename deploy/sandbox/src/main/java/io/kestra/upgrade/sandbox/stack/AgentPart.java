package io.kestra.upgrade.sandbox.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The agent of one Kestra server: {@code component-agent}'s {@code quarkus-run.jar} as a process,
 * which starts its server on the fleet's version as it would start a real one. Its readiness is the
 * fleet's: the {@link Stack} waits until the coordinator sees every agent ready.
 */
final class AgentPart implements Part {

  private final FleetSpec.Server server;
  private final AgentProperties properties;
  private final Path agentJar;
  private final String databasePassword;
  private final ManagedProcess process;

  AgentPart(Layout layout, FleetSpec.Server server, AgentProperties properties, String password) {
    this.server = server;
    this.properties = properties;
    this.agentJar = layout.agentJar();
    this.databasePassword = password;
    this.process = ManagedProcess.of(layout, "agent-" + server.instance());
  }

  @Override
  public String name() {
    return "agent " + server.instance();
  }

  @Override
  public void start(PrintStream out) throws IOException {
    if (!process.isRunning()) {
      out.println("· starting the agent of " + server.kind() + " " + server.instance());
      properties.start(process, agentJar, databasePassword);
    }
  }

  @Override
  public boolean running() {
    return process.isRunning();
  }

  @Override
  public PartStatus status() {
    return PartStatus.of(
        name(),
        process,
        "API http://localhost:"
            + server.apiPort()
            + ", management http://localhost:"
            + server.managementPort());
  }

  @Override
  public void stop() {
    process.stop(Duration.ofSeconds(10));
  }
}
