package io.kestra.upgrade.agent.driver.process;

import static io.kestra.upgrade.agent.testing.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.agent.core.AgentCore;
import io.kestra.upgrade.agent.core.AgentSettings;
import io.kestra.upgrade.agent.core.KafkaSettings;
import io.kestra.upgrade.agent.testing.Commands;
import io.kestra.upgrade.agent.testing.Sims;
import io.kestra.upgrade.agent.testing.TopicTail;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.messaging.TopicAdmin;
import io.kestra.upgrade.testsupport.TestKafka;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole agent as deployed, minus the Quarkus shell: commands over the real broker, the process
 * driver, a stand-in server on a real PostgreSQL. Two agents in turn on one state directory, as
 * when the agent's own process is restarted.
 */
class ProcessAgentIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private final AgentId agent =
      new AgentId(
          "it", ComponentKind.EXECUTOR, "exec-" + UUID.randomUUID().toString().substring(0, 6));
  private Topics topics;
  private KafkaProducer<String, byte[]> producer;
  private TopicTail<Ack> acks;
  private TopicTail<Heartbeat> heartbeats;
  private AgentSettings settings;
  private ProcessDriverSettings driverSettings;
  private AgentCore core;

  @BeforeEach
  void setUp() {
    topics = new Topics("process-it-" + UUID.randomUUID().toString().substring(0, 8));
    TopicAdmin.ensureTopics(TestKafka.bootstrapServers(), topics, 1, (short) 1);
    producer = KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "process-it");
    acks = new TopicTail<>(TestKafka.bootstrapServers(), topics.acks(), Ack.class);
    heartbeats =
        new TopicTail<>(TestKafka.bootstrapServers(), topics.heartbeats(), Heartbeat.class);
    TestPostgres.Database db = TestPostgres.newDatabase("agent_process");
    int port = Sims.freePort();
    settings =
        new AgentSettings(
            agent,
            "test",
            new KafkaSettings(TestKafka.bootstrapServers(), topics, 1, (short) 1),
            Duration.ofMillis(500),
            Duration.ofMillis(500),
            dir.resolve("state"),
            Optional.empty(),
            Set.of(Capability.MIGRATE));
    driverSettings =
        new ProcessDriverSettings(
            Sims.install(dir.resolve("install")),
            ComponentKind.EXECUTOR,
            dir.resolve("state"),
            new ProcessDriverSettings.Boot(Optional.empty(), false),
            new ProcessDriverSettings.Launch(
                List.of(),
                OptionalInt.of(Sims.freePort()),
                Optional.of(Sims.configFile(dir.resolve("application.yml"), db, Map.of())),
                "",
                dir.resolve("server.log")),
            new ProcessDriverSettings.Probe(port, Duration.ofMillis(250)),
            new ProcessDriverSettings.Limits(
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(1)),
            Optional.empty());
  }

  @AfterEach
  void tearDown() {
    if (core != null) {
      core.close();
    }
    acks.close();
    heartbeats.close();
    producer.close();
    Sims.killAll();
  }

  private AgentCore startAgent() throws InterruptedException {
    core =
        new AgentCore(
            settings, new ProcessDriver(driverSettings, Clock.systemUTC()), Clock.systemUTC());
    core.start();
    assertThat(core.awaitAssignment(WAIT)).isTrue();
    return core;
  }

  private Ack run(Command command) {
    Commands.publish(producer, topics.commands(), command);
    await().atMost(WAIT).until(() -> acksOf(command).stream().anyMatch(a -> a.status().isFinal()));
    List<Ack> answers = acksOf(command);
    return answers.get(answers.size() - 1);
  }

  private List<Ack> acksOf(Command command) {
    return acks.valuesKeyed(agent.toString()).stream()
        .filter(a -> a.commandId().equals(command.commandId()))
        .toList();
  }

  private Heartbeat heartbeatAfter(Instant instant) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                heartbeats.valuesKeyed(agent.toString()).stream()
                    .anyMatch(h -> h.at().isAfter(instant)));
    List<Heartbeat> all = heartbeats.valuesKeyed(agent.toString());
    return all.get(all.size() - 1);
  }

  @Test
  void anAgentStartsItsServerAndTheNextAgentAdoptsRestartsAndStopsIt() throws Exception {
    startAgent();
    Ack started =
        run(command(agent, CommandType.START, "0.21.4", Map.of(Command.PARAM_TIMEOUT, "PT30S")));
    assertThat(started.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(started.observed().version()).isEqualTo("0.21.4");
    assertThat(started.observed().ready()).isTrue();
    long pid = Sims.running().get(0).pid();

    // the agent goes away; its server does not
    core.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    Instant restarted = Instant.now();
    startAgent();
    await()
        .atMost(WAIT)
        .until(() -> heartbeatAfter(restarted).component().state() == ComponentState.RUNNING);
    Heartbeat adopted = heartbeatAfter(restarted);
    assertThat(adopted.component().version()).isEqualTo("0.21.4");
    assertThat(adopted.component().ready()).isTrue();
    assertThat(adopted.driver()).isEqualTo("process");

    Ack restart =
        run(
            command(
                agent, CommandType.RESTART, "0.22.1", Map.of(Command.PARAM_GRACE_PERIOD, "PT20S")));
    assertThat(restart.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(restart.result()).containsEntry(Ack.RESULT_STOP_MODE, "graceful");
    assertThat(restart.observed().version()).isEqualTo("0.22.1");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    Instant restartedServer = Instant.now();
    await()
        .atMost(WAIT)
        .until(() -> Duration.ofSeconds(20).equals(heartbeatAfter(restartedServer).gracePeriod()));

    Ack stop =
        run(command(agent, CommandType.STOP, null, Map.of(Command.PARAM_GRACE_PERIOD, "PT20S")));
    assertThat(stop.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(stop.result()).containsEntry(Ack.RESULT_STOP_MODE, "graceful");
    assertThat(stop.observed().state()).isEqualTo(ComponentState.STOPPED);
    assertThat(Sims.running()).isEmpty();
  }

  @Test
  void theHeartbeatCarriesTheGracePeriodOfTheServersConfigFile() throws Exception {
    Path config = driverSettings.launch().configFile().orElseThrow();
    Files.writeString(
        config,
        "kestra:\n  server:\n    termination-grace-period: 45s\n",
        StandardOpenOption.APPEND);
    Instant booted = Instant.now();
    startAgent();
    // read at boot, nothing running; heartbeats begin before the boot, so a first one may not
    // know it yet
    await()
        .atMost(WAIT)
        .until(() -> Duration.ofSeconds(45).equals(heartbeatAfter(booted).gracePeriod()));

    Ack started =
        run(
            command(
                agent,
                CommandType.START,
                "1.0.0",
                Map.of(Command.PARAM_TIMEOUT, "PT30S", Command.PARAM_GRACE_PERIOD, "PT20S")));
    assertThat(started.status()).isEqualTo(AckStatus.SUCCEEDED);

    Instant afterStart = Instant.now();
    assertThat(heartbeatAfter(afterStart).gracePeriod())
        .as("Kestra ranks the -c file above the START's -D")
        .isEqualTo(Duration.ofSeconds(45));
  }
}
