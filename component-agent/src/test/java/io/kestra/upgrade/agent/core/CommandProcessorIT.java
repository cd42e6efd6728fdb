package io.kestra.upgrade.agent.core;

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
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.messaging.TopicAdmin;
import io.kestra.upgrade.testsupport.TestKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whose fault a failure is, as the coordinator reads it in the final ack: the agent's own
 * (AGENT_ERROR) or its driver's (DRIVER_ERROR). One command processor with a real journal, acks on
 * the real broker.
 */
class CommandProcessorIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final JsonCodec CODEC = JsonCodec.create();

  private static Topics topics;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicTail<Ack> acks;

  @TempDir Path stateDir;
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
  private final AgentId agent =
      AgentId.parse("it/worker/w-" + UUID.randomUUID().toString().substring(0, 8));
  private final ScriptedDriver driver = new ScriptedDriver(null);
  private CommandJournal journal;
  private CommandProcessor processor;

  @BeforeAll
  static void topics() {
    topics = new Topics("processor-it-" + UUID.randomUUID().toString().substring(0, 8));
    TopicAdmin.ensureTopics(TestKafka.bootstrapServers(), topics, 1, (short) 1);
    producer = KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "processor-it");
    acks = new TopicTail<>(TestKafka.bootstrapServers(), topics.acks(), Ack.class);
  }

  @AfterAll
  static void closeClients() {
    acks.close();
    producer.close();
  }

  @BeforeEach
  void newProcessor() {
    journal = CommandJournal.open(stateDir, CODEC);
    Clock clock = Clock.systemUTC();
    processor =
        new CommandProcessor(
            new CommandGate(agent, driver, Set.of()),
            journal,
            new CommandExecutor(driver, clock),
            new AckPublisher(
                producer, topics.acks(), agent, CODEC, clock, driver::observe, Optional.empty()),
            clock,
            ticks,
            Duration.ofMillis(200));
  }

  @AfterEach
  void close() {
    ticks.shutdownNow();
    journal.close();
  }

  private Command start() {
    return Commands.command(agent, CommandType.START, "0.22.1", Map.of());
  }

  private List<Ack> acksOf(String commandId) {
    return acks.valuesKeyed(agent.toString()).stream()
        .filter(a -> a.commandId().equals(commandId))
        .toList();
  }

  private Ack awaitFinal(String commandId) {
    await()
        .atMost(WAIT)
        .until(() -> acksOf(commandId).stream().anyMatch(a -> a.status().isFinal()));
    return acksOf(commandId).stream().filter(a -> a.status().isFinal()).findFirst().orElseThrow();
  }

  /** Processes a START that the agent itself cannot carry out, and returns its final ack. */
  private Ack startFailingInTheAgent() throws InterruptedException {
    Command start = start();
    processor.process(new CommandReader.Valid(start));
    Ack failed = awaitFinal(start.commandId());
    assertThat(failed.status()).isEqualTo(AckStatus.FAILED);
    assertThat(failed.reason()).isEqualTo(FailureReason.AGENT_ERROR);
    assertThat(driver.calls()).isEmpty();
    return failed;
  }

  @Test
  void commandWhoseReceiptCannotBeJournaledFailsAsAnAgentErrorWithoutRunning() throws Exception {
    // from now on every write is refused, as on a full or read-only disk
    journal.close();

    Ack failed = startFailingInTheAgent();

    assertThat(failed.message()).contains("cannot write its command journal");
    // refused before anything else: not even ACCEPTED
    assertThat(acksOf(failed.commandId()))
        .extracting(Ack::status)
        .containsExactly(AckStatus.FAILED);
  }

  @Test
  void anUnexpectedFailureOfTheAgentItselfIsAnsweredAsAnAgentError() throws Exception {
    // the agent's own scheduler of PROGRESS acks is gone: the agent cannot run a command
    ticks.shutdownNow();

    Ack failed = startFailingInTheAgent();

    assertThat(failed.message()).startsWith("the agent failed while handling the command");
  }

  @Test
  void anUnexpectedFailureOfTheDriverIsAnsweredAsADriverErrorAndRemembered() throws Exception {
    driver.failing("start", new IllegalStateException("launcher crashed"));
    Command start = start();

    processor.process(new CommandReader.Valid(start));
    processor.process(new CommandReader.Valid(start));

    Ack failed = awaitFinal(start.commandId());
    assertThat(failed.reason()).isEqualTo(FailureReason.DRIVER_ERROR);
    assertThat(failed.message()).contains("launcher crashed");
    await().atMost(WAIT).until(() -> acksOf(start.commandId()).size() >= 3);
    // ACCEPTED, then the final ack twice: the redelivery is answered from the journal
    assertThat(acksOf(start.commandId()))
        .extracting(Ack::status)
        .containsExactly(AckStatus.ACCEPTED, AckStatus.FAILED, AckStatus.FAILED);
    assertThat(acksOf(start.commandId()).get(2).messageId()).isEqualTo(failed.messageId());
    assertThat(driver.calls("start")).isEqualTo(1);
  }
}
