package io.kestra.upgrade.sandbox.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the sandbox configures an agent process. */
class AgentPropertiesTest {

  private final FleetSpec.Server worker =
      new FleetSpec.Server("worker", "worker-1", 18082, 18092, List.of("-t", "4"), "");

  private final AgentProperties properties =
      AgentProperties.of("prod", worker, "localhost:19092")
          .topicPrefix("e2e-1")
          .heartbeatInterval(Duration.ofSeconds(1))
          .install(Path.of("/opt/kestra"), "0.21.4", Path.of("/etc/kestra/worker-1.yml"))
          .stateDir(Path.of("/var/lib/agent/worker-1"))
          .database("jdbc:postgresql://localhost:15432/kestra", "postgres");

  @Test
  void commandRunsTheAgentJarWithEveryPropertyAsASystemProperty() {
    List<String> command = properties.command(Path.of("/app/quarkus-run.jar"));

    assertThat(command.get(0)).endsWith("/bin/java");
    assertThat(command.subList(command.size() - 2, command.size()))
        .containsExactly("-jar", "/app/quarkus-run.jar");
    assertThat(command)
        .contains(
            "-Dagent.cluster=prod",
            "-Dagent.kind=worker",
            "-Dagent.instance=worker-1",
            "-Dagent.topic-prefix=e2e-1",
            "-Dagent.heartbeat-interval=PT1S",
            "-Dagent.driver.process.server-args=-t,4",
            "-Dagent.driver.process.management-port=18082",
            "-Dagent.driver.process.initial-version=0.21.4",
            "-Dagent.driver.process.autostart=true",
            "-Dkafka.bootstrap.servers=localhost:19092");
  }

  @Test
  void aProcessAgentWithItsServersFileMayReplaceItAndNothingElseUnlessGiven() {
    assertThat(properties.values()).containsEntry("agent.capabilities", "CONFIG_FILE");
    FleetSpec.Server executor =
        new FleetSpec.Server("executor", "executor-1", 18081, 18091, List.of(), "BACKUP,MIGRATE");
    assertThat(
            AgentProperties.of("prod", executor, "localhost:19092")
                .install(Path.of("/opt/kestra"), "0.21.4", Path.of("/etc/kestra/executor-1.yml"))
                .values())
        .containsEntry("agent.capabilities", "BACKUP,MIGRATE,CONFIG_FILE");
    assertThat(AgentProperties.of("prod", worker, "localhost:19092").values())
        .doesNotContainKey("agent.capabilities");
  }

  @Test
  void thePasswordNeverAppearsOnTheCommandLine() {
    assertThat(properties.command(Path.of("a.jar")))
        .noneMatch(arg -> arg.toLowerCase(java.util.Locale.ROOT).contains("password"));
  }

  @Test
  void theStateFolderIsTheWorkingFolder() {
    assertThat(properties.stateDir()).isEqualTo(Path.of("/var/lib/agent/worker-1"));
  }
}
