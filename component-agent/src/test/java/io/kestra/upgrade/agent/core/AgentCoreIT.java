package io.kestra.upgrade.agent.core;

import static io.kestra.upgrade.agent.testing.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kestra.upgrade.agent.testing.Commands;
import io.kestra.upgrade.agent.testing.ScriptedDriver;
import io.kestra.upgrade.agent.testing.TopicTail;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.DeadLetterHeaders;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.messaging.MalformedRecordException;
import io.kestra.upgrade.messaging.TopicAdmin;
import io.kestra.upgrade.testsupport.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's core against the real broker, with a scripted driver in place of a server. */
class AgentCoreIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PARTITIONS = 3;
  private static final String SIGNING_KEY = "33".repeat(32);
  private static final String OTHER_KEY = "44".repeat(32);

  private static Topics topics;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicTail<Ack> acks;
  private static TopicTail<Heartbeat> heartbeats;

  @TempDir Path tmp;
  private final List<AgentCore> cores = new ArrayList<>();
  private AgentId agent;

  @BeforeAll
  static void topics() {
    topics = new Topics("core-it-" + UUID.randomUUID().toString().substring(0, 8));
    TopicAdmin.ensureTopics(TestKafka.bootstrapServers(), topics, PARTITIONS, (short) 1);
    producer = KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "core-it");
    acks = new TopicTail<>(TestKafka.bootstrapServers(), topics.acks(), Ack.class);
    heartbeats =
        new TopicTail<>(TestKafka.bootstrapServers(), topics.heartbeats(), Heartbeat.class);
  }

  @AfterAll
  static void closeClients() {
    acks.close();
    heartbeats.close();
    producer.close();
  }

  /** The command's JSON, changed by {@code change}. */
  private static byte[] altered(Command command, Consumer<ObjectNode> change) throws IOException {
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Commands.encode(command));
    change.accept(json);
    return new ObjectMapper().writeValueAsBytes(json);
  }

  @BeforeEach
  void newAgent() {
    agent =
        new AgentId(
            "it", ComponentKind.WORKER, "w-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @AfterEach
  void closeCores() {
    cores.forEach(AgentCore::close);
  }

  private AgentCore startCore(ScriptedDriver driver, Path stateDir, Optional<String> key)
      throws InterruptedException {
    AgentSettings settings =
        new AgentSettings(
            agent,
            "test",
            new KafkaSettings(TestKafka.bootstrapServers(), topics, PARTITIONS, (short) 1),
            Duration.ofMillis(300),
            Duration.ofMillis(200),
            stateDir,
            key,
            Set.of(Capability.MIGRATE));
    AgentCore core = new AgentCore(settings, driver, Clock.systemUTC());
    cores.add(core);
    core.start();
    assertThat(core.awaitAssignment(WAIT)).isTrue();
    return core;
  }

  private AgentCore startCore(ScriptedDriver driver) throws InterruptedException {
    return startCore(driver, tmp.resolve("state"), Optional.empty());
  }

  private void publish(Command command) {
    Commands.publish(producer, topics.commands(), command);
  }

  private List<Ack> acksOf(String commandId) {
    return acks.values(r -> agent.toString().equals(r.key())).stream()
        .filter(a -> a.commandId().equals(commandId))
        .toList();
  }

  private List<AckStatus> statusesOf(String commandId) {
    return acksOf(commandId).stream().map(Ack::status).toList();
  }

  private Ack awaitFinal(String commandId) {
    await()
        .atMost(WAIT)
        .until(() -> acksOf(commandId).stream().anyMatch(a -> a.status().isFinal()));
    return acksOf(commandId).stream().filter(a -> a.status().isFinal()).findFirst().orElseThrow();
  }

  private int partitionOf(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  @Test
  void startIsAcceptedReportsProgressAndSucceedsOnTheTargetVersion() throws Exception {
    ScriptedDriver driver = new ScriptedDriver(null).workTime(Duration.ofMillis(1200));
    startCore(driver);
    Command start = command(agent, CommandType.START, "0.22.1", Map.of());
    publish(start);

    Ack done = awaitFinal(start.commandId());
    assertThat(done.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(done.observed().version()).isEqualTo("0.22.1");
    assertThat(done.observed().ready()).isTrue();
    List<AckStatus> statuses = statusesOf(start.commandId());
    assertThat(statuses.get(0)).isEqualTo(AckStatus.ACCEPTED);
    assertThat(statuses.get(statuses.size() - 1)).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(statuses.subList(1, statuses.size() - 1))
        .hasSizeGreaterThanOrEqualTo(3)
        .containsOnly(AckStatus.PROGRESS);
    assertThat(driver.calls("start")).isEqualTo(1);
  }

  @Test
  void redeliveredCommandRunsOnceAndIsAnsweredTwiceFromTheJournal() throws Exception {
    ScriptedDriver driver = new ScriptedDriver(null).workTime(Duration.ofMillis(300));
    startCore(driver);
    Command start = command(agent, CommandType.START, "0.22.1", Map.of());
    publish(start);
    Ack first = awaitFinal(start.commandId());
    publish(start);

    await()
        .atMost(WAIT)
        .until(
            () ->
                acksOf(start.commandId()).stream()
                        .filter(a -> a.status() == AckStatus.SUCCEEDED)
                        .count()
                    == 2);
    List<Ack> finals =
        acksOf(start.commandId()).stream().filter(a -> a.status().isFinal()).toList();
    assertThat(finals).allSatisfy(a -> assertThat(a.messageId()).isEqualTo(first.messageId()));
    assertThat(statusesOf(start.commandId())).containsOnlyOnce(AckStatus.ACCEPTED);
    assertThat(driver.calls("start")).isEqualTo(1);
  }

  @Test
  void commandForAnotherAgentIsIgnored() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4");
    startCore(driver);
    // same partition as this agent's records: once this agent's command is answered, the other
    // one was necessarily read before it, and skipped
    AgentId other = new AgentId("it", ComponentKind.WORKER, "someone-else");
    Command theirs = command(other, CommandType.PREPARE, "0.22.1", Map.of());
    Command ours = command(agent, CommandType.PREPARE, "0.22.1", Map.of());
    int partition = partitionOf(agent.toString());
    Commands.send(
        producer,
        new ProducerRecord<>(
            topics.commands(), partition, other.toString(), Commands.encode(theirs)));
    Commands.send(
        producer,
        new ProducerRecord<>(
            topics.commands(), partition, agent.toString(), Commands.encode(ours)));

    assertThat(awaitFinal(ours.commandId()).status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(acks.values(r -> true)).noneMatch(a -> a.commandId().equals(theirs.commandId()));
    assertThat(driver.calls("prepare")).isEqualTo(1);
  }

  @Test
  void malformedRecordsGoToTheDeadLetterTopicAsReceivedAndTheNextCommandIsHandled()
      throws Exception {
    startCore(new ScriptedDriver("0.21.4"));
    byte[] notJson = "{\"type\":\"START\", oops".getBytes(StandardCharsets.UTF_8);
    byte[] notACommand =
        "{\"commandId\":\"c-1\",\"type\":\"STOP\"}".getBytes(StandardCharsets.UTF_8);
    Command valid = command(agent, CommandType.STOP, null, Map.of());
    byte[] idNotAUuid = altered(valid, json -> json.put("commandId", "x"));
    byte[] nulCharacter =
        altered(valid, json -> json.putObject("params").put("gracePeriod", "PT1S\u0000"));
    byte[] oversized = altered(valid, json -> json.put("targetVersion", "9".repeat(20_000)));
    List<byte[]> hostile = List.of(notJson, notACommand, idNotAUuid, nulCharacter, oversized);
    long[] offsets = new long[hostile.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] =
          Commands.send(
                  producer,
                  new ProducerRecord<>(topics.commands(), agent.toString(), hostile.get(i)))
              .offset();
    }
    Command ping = command(agent, CommandType.PING, null, Map.of());
    publish(ping);

    assertThat(awaitFinal(ping.commandId()).status()).isEqualTo(AckStatus.SUCCEEDED);
    try (TopicTail<Command> dead =
        new TopicTail<>(TestKafka.bootstrapServers(), topics.deadLetter(), Command.class)) {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  dead.records().stream().filter(r -> agent.toString().equals(r.key())).count()
                      == hostile.size());
      List<ConsumerRecord<String, byte[]>> records =
          dead.records().stream().filter(r -> agent.toString().equals(r.key())).toList();
      assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(hostile);
      for (int i = 0; i < records.size(); i++) {
        ConsumerRecord<String, byte[]> record = records.get(i);
        assertThat(record.headers())
            .extracting(Header::key)
            .containsExactlyInAnyOrder(
                DeadLetterHeaders.EXCEPTION_CLASS,
                DeadLetterHeaders.REASON,
                DeadLetterHeaders.TOPIC,
                DeadLetterHeaders.PARTITION,
                DeadLetterHeaders.OFFSET);
        assertThat(header(record, DeadLetterHeaders.EXCEPTION_CLASS))
            .isEqualTo(MalformedRecordException.class.getName());
        assertThat(header(record, DeadLetterHeaders.REASON)).startsWith("not a valid Command");
        assertThat(header(record, DeadLetterHeaders.TOPIC)).isEqualTo(topics.commands());
        assertThat(header(record, DeadLetterHeaders.PARTITION))
            .isEqualTo(Integer.toString(partitionOf(agent.toString())));
        assertThat(header(record, DeadLetterHeaders.OFFSET)).isEqualTo(Long.toString(offsets[i]));
      }
    }
    assertThat(acks.values(r -> true))
        .noneMatch(a -> a.commandId().equals("c-1") || a.commandId().equals(valid.commandId()));
  }

  @Test
  void expiredCommandIsRejectedWithoutRunning() throws Exception {
    ScriptedDriver driver = new ScriptedDriver(null);
    startCore(driver);
    Command late =
        command(agent, CommandType.START, "0.22.1", Map.of(), Instant.now().minusSeconds(5));
    publish(late);

    Ack rejected = awaitFinal(late.commandId());
    assertThat(rejected.status()).isEqualTo(AckStatus.REJECTED);
    assertThat(rejected.reason()).isEqualTo(FailureReason.COMMAND_EXPIRED);
    // a later command is answered, so nothing else of the expired one is still to come
    Command ping = command(agent, CommandType.PING, null, Map.of());
    publish(ping);
    awaitFinal(ping.commandId());
    assertThat(statusesOf(late.commandId())).containsExactly(AckStatus.REJECTED);
    assertThat(driver.calls("start")).isZero();
  }

  @Test
  void withAKeyOnlyItsCommandsRunOthersAreDeadLetteredAndWhatItSaysIsSigned() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4");
    startCore(driver, tmp.resolve("state"), Optional.of(SIGNING_KEY));
    MessageSigner signer = MessageSigner.ofText(SIGNING_KEY);
    Command unsigned = command(agent, CommandType.PREPARE, "0.22.1", Map.of());
    Command forged = MessageSigner.ofText(OTHER_KEY).sign(unsigned);
    try (TopicTail<Command> dead =
        new TopicTail<>(TestKafka.bootstrapServers(), topics.deadLetter(), Command.class)) {
      publish(unsigned);
      publish(forged);
      publish(signer.sign(unsigned));

      assertThat(awaitFinal(unsigned.commandId()).status()).isEqualTo(AckStatus.SUCCEEDED);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  dead.records().stream().filter(r -> agent.toString().equals(r.key())).count()
                      == 2);
      assertThat(dead.records())
          .filteredOn(r -> agent.toString().equals(r.key()))
          .extracting(r -> header(r, DeadLetterHeaders.REASON))
          .allMatch(reason -> reason.startsWith("the record is not signed with this agent's key"));
    }
    // the forgeries got no answer: a REJECTED naming the real command's id would have failed it
    assertThat(statusesOf(unsigned.commandId()))
        .filteredOn(status -> status != AckStatus.PROGRESS)
        .containsExactly(AckStatus.ACCEPTED, AckStatus.SUCCEEDED);
    assertThat(driver.calls("prepare")).isEqualTo(1);
    assertThat(acks.records())
        .filteredOn(r -> agent.toString().equals(r.key()))
        .isNotEmpty()
        .allMatch(r -> signer.verify(r.value()), "every ack verifies with the agent's key");
    await()
        .atMost(WAIT)
        .until(() -> heartbeats.records().stream().anyMatch(r -> agent.toString().equals(r.key())));
    assertThat(heartbeats.records())
        .filteredOn(r -> agent.toString().equals(r.key()))
        .allMatch(r -> signer.verify(r.value()), "every heartbeat verifies with the agent's key");
  }

  @Test
  void invalidTargetVersionIsRejectedAndNeverReachesTheDriver() throws Exception {
    ScriptedDriver driver = new ScriptedDriver(null);
    startCore(driver);
    Command start = command(agent, CommandType.START, "0.22.1 -Dkestra.x=1", Map.of());
    Command badGrace =
        command(agent, CommandType.STOP, null, Map.of(Command.PARAM_GRACE_PERIOD, "5 minutes"));
    publish(start);
    publish(badGrace);

    Ack rejected = awaitFinal(start.commandId());
    assertThat(rejected.status()).isEqualTo(AckStatus.REJECTED);
    assertThat(rejected.reason()).isEqualTo(FailureReason.INVALID_COMMAND);
    assertThat(awaitFinal(badGrace.commandId()).reason()).isEqualTo(FailureReason.INVALID_COMMAND);
    assertThat(driver.calls("start") + driver.calls("stop")).isZero();
  }

  @Test
  void commandsTheDriverOrTheAgentCannotDoAreRejectedAsUnsupported() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4");
    startCore(driver);
    Command maintenance = command(agent, CommandType.MAINTENANCE_ENTER, null, Map.of());
    // the driver could, but this agent does not advertise BACKUP
    Command backup = command(agent, CommandType.BACKUP, null, Map.of());
    publish(maintenance);
    publish(backup);

    assertThat(awaitFinal(maintenance.commandId()).reason())
        .isEqualTo(FailureReason.UNSUPPORTED_COMMAND);
    assertThat(awaitFinal(backup.commandId()).reason())
        .isEqualTo(FailureReason.UNSUPPORTED_COMMAND);
    assertThat(driver.calls("backup")).isZero();
  }

  @Test
  void aCommandOfATypeThisAgentDoesNotKnowIsRejectedNotSetAside() throws Exception {
    startCore(new ScriptedDriver("0.21.4"));
    Command stop = command(agent, CommandType.STOP, null, Map.of());
    String newer =
        new String(Commands.encode(stop), StandardCharsets.UTF_8)
            .replace("\"type\":\"STOP\"", "\"type\":\"SNAPSHOT\"");
    Commands.send(
        producer,
        new ProducerRecord<>(
            topics.commands(), agent.toString(), newer.getBytes(StandardCharsets.UTF_8)));

    Ack rejected = awaitFinal(stop.commandId());
    assertThat(rejected.status()).isEqualTo(AckStatus.REJECTED);
    assertThat(rejected.reason()).isEqualTo(FailureReason.UNSUPPORTED_COMMAND);
    assertThat(rejected.message()).contains("SNAPSHOT");
  }

  @Test
  void stopOfAWorkerReportsItsInFlightTasksWhileDraining() throws Exception {
    ScriptedDriver driver =
        new ScriptedDriver("0.21.4").tasksAtStop(4).workTime(Duration.ofMillis(1500));
    startCore(driver);
    Command stop =
        command(agent, CommandType.STOP, null, Map.of(Command.PARAM_GRACE_PERIOD, "PT30S"));
    publish(stop);

    Ack done = awaitFinal(stop.commandId());
    assertThat(done.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(done.result())
        .containsEntry(Ack.RESULT_STOP_MODE, "graceful")
        .containsEntry(Ack.RESULT_TASKS_AT_STOP, "4");
    assertThat(done.observed().state()).isEqualTo(ComponentState.STOPPED);
    List<Ack> progress =
        acksOf(stop.commandId()).stream().filter(a -> a.status() == AckStatus.PROGRESS).toList();
    assertThat(progress)
        .anySatisfy(
            a -> {
              assertThat(a.observed().inFlightTasks()).isPositive();
              assertThat(a.message()).contains(a.observed().inFlightTasks() + " task run(s)");
            });
    assertThat(driver.stopRequests().get(0).gracePeriod()).contains(Duration.ofSeconds(30));
  }

  @Test
  void heartbeatsCarryTheObservationAndTheCommandInFlight() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4").holdOperations();
    startCore(driver);
    await().atMost(WAIT).until(() -> !heartbeats.valuesKeyed(agent.toString()).isEmpty());
    Heartbeat idle = heartbeats.valuesKeyed(agent.toString()).get(0);
    assertThat(idle.component().version()).isEqualTo("0.21.4");
    assertThat(idle.component().state()).isEqualTo(ComponentState.RUNNING);
    assertThat(idle.component().ready()).isTrue();
    assertThat(idle.driver()).isEqualTo("scripted");
    assertThat(idle.capabilities()).containsExactly(Capability.MIGRATE);
    assertThat(idle.kind()).isEqualTo(ComponentKind.WORKER);
    assertThat(idle.currentCommandId()).isNull();

    Command migrate = command(agent, CommandType.MIGRATE, "0.22.1", Map.of());
    publish(migrate);
    await()
        .atMost(WAIT)
        .until(
            () ->
                heartbeats.valuesKeyed(agent.toString()).stream()
                    .anyMatch(h -> migrate.commandId().equals(h.currentCommandId())));
    driver.release();
    assertThat(awaitFinal(migrate.commandId()).status()).isEqualTo(AckStatus.SUCCEEDED);
  }

  @Test
  void startInterruptedByCloseIsSettledByTheNextAgentWithoutStartingAgain() throws Exception {
    Path state = tmp.resolve("state");
    ScriptedDriver first = new ScriptedDriver(null).holdOperations();
    AgentCore core = startCore(first, state, Optional.empty());
    Command start = command(agent, CommandType.START, "0.22.1", Map.of());
    publish(start);
    await().atMost(WAIT).until(() -> first.calls("start") == 1);
    core.close();

    assertThat(first.closed()).isTrue();
    assertThat(statusesOf(start.commandId())).doesNotContain(AckStatus.SUCCEEDED, AckStatus.FAILED);
    // meanwhile the server came up on the target version: the next agent finds it so
    ScriptedDriver second = new ScriptedDriver("0.22.1");
    startCore(second, state, Optional.empty());

    Ack done = awaitFinal(start.commandId());
    assertThat(done.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(done.message()).contains("agent restarted");
    assertThat(second.calls("start")).isZero();
    assertThat(second.calls("awaitReady")).isEqualTo(1);
    assertThat(statusesOf(start.commandId())).containsOnlyOnce(AckStatus.ACCEPTED);
  }

  @Test
  void migrationInterruptedByCloseIsReportedAsInterruptedAndNotRunAgain() throws Exception {
    Path state = tmp.resolve("state");
    ScriptedDriver first = new ScriptedDriver("0.21.4").holdOperations();
    AgentCore core = startCore(first, state, Optional.empty());
    Command migrate = command(agent, CommandType.MIGRATE, "0.22.1", Map.of());
    publish(migrate);
    await().atMost(WAIT).until(() -> first.calls("migrate") == 1);
    core.close();

    ScriptedDriver second = new ScriptedDriver("0.21.4");
    startCore(second, state, Optional.empty());

    Ack done = awaitFinal(migrate.commandId());
    assertThat(done.status()).isEqualTo(AckStatus.FAILED);
    assertThat(done.reason()).isEqualTo(FailureReason.AGENT_INTERRUPTED);
    assertThat(done.message()).contains("outcome is unknown");
    assertThat(second.calls("migrate")).isZero();
  }

  @Test
  void stopInterruptedByCloseIsResumedWithTheKillDeadlineOfTheFirstReceipt() throws Exception {
    Path state = tmp.resolve("state");
    ScriptedDriver first = new ScriptedDriver("0.21.4").holdOperations();
    AgentCore core = startCore(first, state, Optional.empty());
    Command stop = command(agent, CommandType.STOP, null, Map.of());
    publish(stop);
    await().atMost(WAIT).until(() -> first.calls("stop") == 1);
    Instant firstRequest = first.stopRequests().get(0).requestedAt();
    core.close();

    ScriptedDriver second = new ScriptedDriver("0.21.4");
    startCore(second, state, Optional.empty());

    Ack done = awaitFinal(stop.commandId());
    assertThat(done.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(second.stopRequests()).hasSize(1);
    // the journal's RECEIVED time, written just before the first driver was called
    assertThat(second.stopRequests().get(0).requestedAt())
        .isBetween(firstRequest.minusSeconds(1), firstRequest);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
