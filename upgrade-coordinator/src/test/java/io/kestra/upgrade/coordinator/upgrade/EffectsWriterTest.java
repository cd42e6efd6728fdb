package io.kestra.upgrade.coordinator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.AgentKeys;
import io.kestra.upgrade.common.CloudEvents;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.coordinator.config.TestConfig;
import io.kestra.upgrade.coordinator.outbox.OutboxRecord;
import io.kestra.upgrade.coordinator.security.AgentKeyring;
import io.kestra.upgrade.coordinator.upgrade.engine.Effects;
import io.kestra.upgrade.coordinator.upgrade.engine.TestRuns;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeMachine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a transition puts in the outbox, from the effects of a real first transition. */
class EffectsWriterTest {

  private final JsonCodec codec = JsonCodec.create();
  private final Topics topics = new Topics("acme.upgrade");
  private final Instant now = Instant.parse("2026-11-25T10:00:00Z");

  private Effects firstTransition() {
    AtomicInteger ids = new AtomicInteger();
    return new UpgradeMachine(() -> new UUID(0, ids.incrementAndGet()).toString())
        .start(TestRuns.oneOfEachTo100(now), now);
  }

  private EffectsWriter writer(AgentKeyring keyring) {
    return new EffectsWriter(
        null,
        null,
        codec,
        topics,
        keyring,
        TestConfig.coordinator(Map.of("coordinator.event-source", "/acme/coordinator")));
  }

  @Test
  void commandsGoFirstKeyedByAgentThenEventsAsCloudEventsKeyedByUpgradeInOrder() {
    Effects fx = firstTransition();

    List<OutboxRecord> records = writer(AgentKeyring.insecure()).toOutbox(fx);

    assertThat(records).hasSize(fx.commands().size() + fx.events().size());
    List<OutboxRecord> commands = records.subList(0, fx.commands().size());
    assertThat(commands).extracting(OutboxRecord::topic).containsOnly("acme.upgrade.commands");
    assertThat(commands)
        .extracting(OutboxRecord::key)
        .containsExactlyElementsOf(fx.commands().stream().map(Command::agentId).toList());
    assertThat(commands).allSatisfy(r -> assertThat(r.headers()).isEmpty());
    assertThat(codec.decode(commands.get(0).payload(), Command.class))
        .isEqualTo(new Decoded.Ok<>(fx.commands().get(0)));

    List<OutboxRecord> events = records.subList(fx.commands().size(), records.size());
    assertThat(events).extracting(OutboxRecord::topic).containsOnly("acme.upgrade.events");
    assertThat(events).extracting(OutboxRecord::key).containsOnly(TestRuns.UPGRADE_ID);
    for (int i = 0; i < events.size(); i++) {
      UpgradeEvent event = fx.events().get(i);
      assertThat(events.get(i).headers())
          .containsEntry(CloudEvents.HEADER_TYPE, event.type())
          .containsEntry(CloudEvents.HEADER_ID, event.messageId())
          .containsEntry(CloudEvents.HEADER_SOURCE, "/acme/coordinator")
          .containsEntry(CloudEvents.HEADER_SPECVERSION, "1.0");
      assertThat(codec.decode(events.get(i).payload(), UpgradeEvent.class))
          .isEqualTo(new Decoded.Ok<>(event));
    }
  }

  @Test
  void eachCommandIsSignedWithTheKeyOfTheAgentItIsFor() {
    String master = "a-master-key-of-at-least-thirty-two-bytes";
    Effects fx = firstTransition();

    List<OutboxRecord> records = writer(AgentKeyring.of(master)).toOutbox(fx);

    for (int i = 0; i < fx.commands().size(); i++) {
      Command sent =
          ((Decoded.Ok<Command>) codec.decode(records.get(i).payload(), Command.class)).value();
      MessageSigner own = new MessageSigner(AgentKeys.derive(master, sent.agentId()));
      assertThat(own.verify(records.get(i).payload())).as(sent.agentId()).isTrue();
      assertThat(sent.withSignature(null)).isEqualTo(fx.commands().get(i));
    }
    Command first = fx.commands().get(0);
    Command second =
        fx.commands().stream()
            .filter(c -> !c.agentId().equals(first.agentId()))
            .findFirst()
            .orElseThrow();
    MessageSigner another = new MessageSigner(AgentKeys.derive(master, second.agentId()));
    assertThat(another.verify(records.get(0).payload())).as("another agent's key").isFalse();
  }
}
