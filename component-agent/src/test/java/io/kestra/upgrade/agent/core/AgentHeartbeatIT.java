package io.kestra.upgrade.agent.core;

import static io.kestra.upgrade.agent.testing.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.agent.testing.Commands;
import io.kestra.upgrade.agent.testing.ScriptedDriver;
import io.kestra.upgrade.agent.testing.TopicTail;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.messaging.TopicAdmin;
import io.kestra.upgrade.testsupport.TestKafka;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeats wait for nothing: not the driver's boot, not a command, not the consumer. */
class AgentHeartbeatIT {

  private static final Duration INTERVAL = Duration.ofSeconds(3);
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Room for the broker's round trip to the test's consumer, which is not the agent's doing. */
  private static final Duration DELIVERY = Duration.ofSeconds(1);

  private static Topics topics;
  private static KafkaProducer<String, byte[]> producer;
  private static TopicTail<Heartbeat> heartbeats;
  private static TopicTail<Ack> acks;

  @TempDir Path tmp;
  private final List<AgentCore> cores = new ArrayList<>();
  private final List<Thread> starters = new ArrayList<>();
  private AgentId agent;

  @BeforeAll
  static void topics() {
    topics = new Topics("heartbeat-it-" + UUID.randomUUID().toString().substring(0, 8));
    TopicAdmin.ensureTopics(TestKafka.bootstrapServers(), topics, 3, (short) 1);
    producer = KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "heartbeat-it");
    heartbeats =
        new TopicTail<>(TestKafka.bootstrapServers(), topics.heartbeats(), Heartbeat.class);
    acks = new TopicTail<>(TestKafka.bootstrapServers(), topics.acks(), Ack.class);
  }

  @AfterAll
  static void closeClients() {
    heartbeats.close();
    acks.close();
    producer.close();
  }

  @BeforeEach
  void newAgent() {
    agent =
        new AgentId(
            "it", ComponentKind.WORKER, "hb-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @AfterEach
  void closeCores() throws InterruptedException {
    // a start still in the driver's boot is cut short, so that close need not wait for it
    starters.forEach(Thread::interrupt);
    for (Thread t : starters) {
      t.join(WAIT.toMillis());
    }
    cores.forEach(AgentCore::close);
  }

  /** Starts a core on its own thread: {@link AgentCore#start()} returns after the driver's boot. */
  private AgentCore startInBackground(ScriptedDriver driver, Path stateDir) {
    AgentSettings settings =
        new AgentSettings(
            agent,
            "test",
            new KafkaSettings(TestKafka.bootstrapServers(), topics, 3, (short) 1),
            INTERVAL,
            Duration.ofMillis(500),
            stateDir,
            Optional.empty(),
            Set.of());
    AgentCore core = new AgentCore(settings, driver, Clock.systemUTC());
    cores.add(core);
    Thread starter = new Thread(core::start, "start-" + agent.instance());
    starters.add(starter);
    starter.start();
    return core;
  }

  private List<Heartbeat> heartbeatsSince(Instant since) {
    return heartbeats.valuesKeyed(agent.toString()).stream()
        .filter(h -> !h.at().isBefore(since))
        .toList();
  }

  @Test
  void theFirstHeartbeatComesWithinOneIntervalWhileTheDriverIsStillBooting() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4").bootTime(WAIT.multipliedBy(2));
    Instant started = Instant.now();
    AgentCore core = startInBackground(driver, tmp.resolve("state"));

    await()
        .atMost(INTERVAL.plus(DELIVERY))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !heartbeatsSince(started).isEmpty());
    Heartbeat first = heartbeatsSince(started).get(0);
    assertThat(first.at()).isBefore(started.plus(INTERVAL));
    assertThat(first.currentCommandId()).isNull();
    // still booting: the consumer is not even positioned yet
    assertThat(driver.calls("boot")).isEqualTo(1);
    assertThat(core.awaitAssignment(Duration.ZERO)).isFalse();
    // and the next ones keep their pace
    await()
        .atMost(INTERVAL.multipliedBy(2).plus(DELIVERY))
        .until(() -> heartbeatsSince(started).size() >= 3);
  }

  @Test
  void aRestartedAgentWhoseInterruptedCommandResumesAtOnceReportsWithinOneInterval()
      throws Exception {
    Path state = tmp.resolve("state");
    ScriptedDriver first = new ScriptedDriver("0.21.4").holdOperations();
    AgentCore core = startInBackground(first, state);
    assertThat(core.awaitAssignment(WAIT)).isTrue();
    Command stop = command(agent, CommandType.STOP, null, Map.of());
    Commands.publish(producer, topics.commands(), stop);
    await().atMost(WAIT).until(() -> first.calls("stop") == 1);
    core.close();

    // the next agent resumes the STOP at once, and its driver holds it
    ScriptedDriver second = new ScriptedDriver("0.21.4").holdOperations();
    Instant restarted = Instant.now();
    AgentCore again = startInBackground(second, state);

    await()
        .atMost(INTERVAL.plus(DELIVERY))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !heartbeatsSince(restarted).isEmpty());
    assertThat(heartbeatsSince(restarted).get(0).at()).isBefore(restarted.plus(INTERVAL));
    assertThat(again.awaitAssignment(WAIT)).isTrue();
    await().atMost(WAIT).until(() -> second.calls("stop") == 1);
    Instant resumed = Instant.now();
    // while the command runs, heartbeats name it and keep coming every interval
    await()
        .atMost(INTERVAL.multipliedBy(3).plus(DELIVERY))
        .until(
            () ->
                heartbeatsSince(resumed).stream()
                        .filter(h -> stop.commandId().equals(h.currentCommandId()))
                        .count()
                    >= 3);
    List<Heartbeat> during = heartbeatsSince(restarted);
    for (int i = 1; i < during.size(); i++) {
      assertThat(Duration.between(during.get(i - 1).at(), during.get(i).at()))
          .isLessThan(INTERVAL.plus(INTERVAL.dividedBy(2)));
    }
    second.release();
    await()
        .atMost(WAIT)
        .until(
            () ->
                acks.valuesKeyed(agent.toString()).stream()
                    .anyMatch(a -> a.commandId().equals(stop.commandId()) && a.status().isFinal()));
  }
}
