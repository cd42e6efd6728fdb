package io.kestra.upgrade.sandbox.e2e;

import io.kestra.upgrade.sandbox.stack.AgentProperties;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.ManagedProcess;
import java.io.IOException;
import java.time.Duration;

/**
 * An agent as its own process: {@code component-agent}'s {@code quarkus-run.jar}, configured by the
 * sandbox's {@link AgentProperties} exactly as {@code sandbox demo} configures it, on this
 * scenario's broker, topics and database.
 */
final class ProcessAgent implements AutoCloseable {

  private final ManagedProcess process;

  private ProcessAgent(ManagedProcess process) {
    this.process = process;
  }

  static ProcessAgent start(AgentFleet fleet, FleetSpec.Server s) throws IOException {
    AgentProperties properties =
        AgentProperties.of(fleet.cluster, s, fleet.kafka.bootstrap())
            .topicPrefix(fleet.topics.prefix())
            // as the in-JVM agents and the coordinator of these tests: a lost agent is seen sooner
            .heartbeatInterval(Duration.ofSeconds(1))
            .install(fleet.dir.resolve("kestra"), AgentFleet.INITIAL_VERSION, fleet.config(s))
            .stateDir(fleet.stateDir(s.instance()))
            .files(fleet.serverLog(s.instance()), fleet.dir.resolve("backups"))
            .database(fleet.kestraDb.jdbcUrl(), fleet.kestraDb.user())
            .serverJavaOpts(fleet.serverJavaOpts(s.instance()))
            .signingKey(fleet.agentKey(s.instance()))
            .kafkaClient(fleet.kafka.client());
    if (fleet.pgBinDir() != null) {
      properties.pgBinDir(fleet.pgBinDir());
    }
    ManagedProcess process =
        new ManagedProcess(
            "agent-" + s.instance(),
            fleet.dir.resolve("pids/agent-" + s.instance() + ".pid"),
            fleet.dir.resolve("logs/agent-" + s.instance() + ".log"));
    properties.start(process, fleet.layout.agentJar(), fleet.kestraDb.password());
    return new ProcessAgent(process);
  }

  /** SIGKILL, as a crash: the server and any tool it runs are left behind. */
  void kill() {
    process.kill();
  }

  /** SIGTERM, as an operator's service manager would stop it. */
  @Override
  public void close() {
    process.stop(Duration.ofSeconds(15));
  }
}
