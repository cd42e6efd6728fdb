package io.kestra.upgrade.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.agent.testing.Commands;
import io.kestra.upgrade.agent.testing.TopicTail;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The application as deployed: configuration from {@code application.properties} ({@code %test}),
 * the core built at startup with the process driver, against the real broker.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
class AgentApplicationIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject AgentLifecycle lifecycle;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "agent.signing-key")
  String signingKey;

  private final Topics topics = new Topics("wiring-it");
  private final AgentId agent = AgentId.parse("wiring/worker/quarkus-test");

  @Test
  void theConfiguredAgentHeartbeatsAndAnswersItsCommands() throws Exception {
    assertThat(lifecycle.core().agentId()).isEqualTo(agent);
    assertThat(lifecycle.core().awaitAssignment(WAIT)).isTrue();
    try (TopicTail<Heartbeat> heartbeats =
            new TopicTail<>(bootstrapServers, topics.heartbeats(), Heartbeat.class);
        TopicTail<Ack> acks = new TopicTail<>(bootstrapServers, topics.acks(), Ack.class);
        KafkaProducer<String, byte[]> producer =
            KafkaClients.reliableProducer(bootstrapServers, "wiring-it")) {
      // heartbeats begin before the driver's boot: the first ones may not know the server yet
      await()
          .atMost(WAIT)
          .until(
              () ->
                  heartbeats.valuesKeyed(agent.toString()).stream()
                      .anyMatch(h -> h.component().version() != null));
      Heartbeat heartbeat =
          heartbeats.valuesKeyed(agent.toString()).stream()
              .filter(h -> h.component().version() != null)
              .findFirst()
              .orElseThrow();
      assertThat(heartbeat.driver()).isEqualTo("process");
      assertThat(heartbeat.capabilities()).containsExactly(Capability.MIGRATE);
      assertThat(heartbeat.component().version()).isEqualTo("0.21.4");
      assertThat(heartbeat.component().state()).isEqualTo(ComponentState.STOPPED);
      assertThat(heartbeat.agentVersion()).isNotBlank();
      MessageSigner key = MessageSigner.ofText(signingKey);
      assertThat(key.verify(heartbeat)).as("the heartbeat is signed with the agent's key").isTrue();

      // no launcher in the test install: the real process driver says so, before touching anything
      Command prepare = key.sign(Commands.command(agent, CommandType.PREPARE, "0.22.1", Map.of()));
      Commands.publish(producer, topics.commands(), prepare);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  acks.valuesKeyed(agent.toString()).stream()
                      .anyMatch(
                          a -> a.commandId().equals(prepare.commandId()) && a.status().isFinal()));
      List<Ack> answers =
          acks.valuesKeyed(agent.toString()).stream()
              .filter(a -> a.commandId().equals(prepare.commandId()))
              .toList();
      Ack last = answers.get(answers.size() - 1);
      assertThat(answers.get(0).status()).isEqualTo(AckStatus.ACCEPTED);
      assertThat(last.status()).isEqualTo(AckStatus.FAILED);
      assertThat(last.reason()).isEqualTo(FailureReason.LAUNCHER_MISSING);
      assertThat(last.message()).contains("kestra-0.22.1");
      assertThat(answers).allMatch(key::verify, "every ack is signed with the agent's key");
    }
  }
}
