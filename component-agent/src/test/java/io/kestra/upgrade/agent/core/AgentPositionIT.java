package io.kestra.upgrade.agent.core;

import static io.kestra.upgrade.agent.testing.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.agent.testing.Commands;
import io.kestra.upgrade.agent.testing.ScriptedDriver;
import io.kestra.upgrade.agent.testing.TopicTail;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.messaging.KeyPartitions;
import io.kestra.upgrade.messaging.Position;
import io.kestra.upgrade.messaging.TopicAdmin;
import io.kestra.upgrade.testsupport.TestKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent reads its own partition in no consumer group, and keeps its position in its journal:
 * restarts resume where it was, a brand-new agent does not replay history.
 */
class AgentPositionIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PARTITIONS = 3;

  private static Topics topics;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicTail<Ack> acks;
  private static Admin admin;

  @TempDir Path tmp;
  private final List<AgentCore> cores = new ArrayList<>();
  private AgentId agent;

  @BeforeAll
  static void topics() {
    topics = new Topics("position-it-" + UUID.randomUUID().toString().substring(0, 8));
    TopicAdmin.ensureTopics(TestKafka.bootstrapServers(), topics, PARTITIONS, (short) 1);
    producer = KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "position-it");
    acks = new TopicTail<>(TestKafka.bootstrapServers(), topics.acks(), Ack.class);
    admin = KafkaClients.admin(KafkaClients.bootstrapOnly(TestKafka.bootstrapServers()));
  }

  @AfterAll
  static void closeClients() {
    acks.close();
    producer.close();
    admin.close();
  }

  @BeforeEach
  void newAgent() {
    agent =
        new AgentId(
            "it", ComponentKind.WORKER, "pos-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @AfterEach
  void closeCores() {
    cores.forEach(AgentCore::close);
  }

  private AgentCore startCore(ScriptedDriver driver, Path stateDir) throws InterruptedException {
    AgentSettings settings =
        new AgentSettings(
            agent,
            "test",
            new KafkaSettings(TestKafka.bootstrapServers(), topics, PARTITIONS, (short) 1),
            Duration.ofMillis(500),
            Duration.ofMillis(200),
            stateDir,
            Optional.empty(),
            Set.of());
    AgentCore core = new AgentCore(settings, driver, Clock.systemUTC());
    cores.add(core);
    core.start();
    assertThat(core.awaitAssignment(WAIT)).isTrue();
    return core;
  }

  private void publish(Command command) {
    Commands.publish(producer, topics.commands(), command);
  }

  private List<Ack> finalsOf(Command command) {
    return acks.valuesKeyed(agent.toString()).stream()
        .filter(a -> a.commandId().equals(command.commandId()) && a.status().isFinal())
        .toList();
  }

  private Ack awaitFinal(Command command) {
    await().atMost(WAIT).until(() -> !finalsOf(command).isEmpty());
    return finalsOf(command).get(0);
  }

  private Optional<Position> journaledPosition(Path stateDir) {
    try (CommandJournal journal = CommandJournal.open(stateDir, JsonCodec.create())) {
      return journal.loadPosition();
    }
  }

  @Test
  void aRestartedAgentResumesAfterItsLastCommandAndRunsTheOnePublishedWhileItWasDownOnce()
      throws Exception {
    Path state = tmp.resolve("state");
    ScriptedDriver first = new ScriptedDriver("0.21.4");
    AgentCore core = startCore(first, state);
    Command before = command(agent, CommandType.PREPARE, "0.22.1", Map.of());
    publish(before);
    assertThat(awaitFinal(before).status()).isEqualTo(AckStatus.SUCCEEDED);
    core.close();
    int partition = KeyPartitions.partitionOf(agent.toString(), PARTITIONS);
    Position stopped = journaledPosition(state).orElseThrow();
    assertThat(stopped.partition()).isEqualTo(partition);

    Command whileDown = command(agent, CommandType.PREPARE, "0.22.2", Map.of());
    publish(whileDown);
    ScriptedDriver second = new ScriptedDriver("0.21.4");
    startCore(second, state);

    assertThat(awaitFinal(whileDown).status()).isEqualTo(AckStatus.SUCCEEDED);
    Command ping = command(agent, CommandType.PING, null, Map.of());
    publish(ping);
    awaitFinal(ping);
    // the command before the restart was not read again: not even answered from the journal
    assertThat(finalsOf(before)).hasSize(1);
    assertThat(finalsOf(whileDown)).hasSize(1);
    assertThat(second.calls("prepare")).isEqualTo(1);
    // the journal is read once its agent is closed
    cores.get(1).close();
    assertThat(journaledPosition(state).orElseThrow().offset()).isGreaterThan(stopped.offset());
    assertNoConsumerGroupOf(agent);
  }

  @Test
  void aBrandNewAgentDoesNotReplayTheHistoryOfItsPartition() throws Exception {
    Command old = command(agent, CommandType.PREPARE, "0.22.1", Map.of());
    publish(old);
    ScriptedDriver driver = new ScriptedDriver("0.21.4");
    startCore(driver, tmp.resolve("state"));
    Command ping = command(agent, CommandType.PING, null, Map.of());
    publish(ping);

    assertThat(awaitFinal(ping).status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(finalsOf(old)).isEmpty();
    assertThat(driver.calls("prepare")).isZero();
    assertNoConsumerGroupOf(agent);
  }

  private static void assertNoConsumerGroupOf(AgentId agent) throws Exception {
    String clientId = "agent-" + agent.toString().replace('/', '.');
    List<String> groups =
        admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).toList();
    assertThat(groups).noneMatch(group -> group.contains(agent.instance()));
    Map<String, ConsumerGroupDescription> described =
        groups.isEmpty() ? Map.of() : admin.describeConsumerGroups(groups).all().get();
    assertThat(described.values())
        .flatExtracting(ConsumerGroupDescription::members)
        .noneMatch(member -> member.clientId().startsWith(clientId));
  }
}
