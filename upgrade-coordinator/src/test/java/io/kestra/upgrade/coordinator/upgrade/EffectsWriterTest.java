package io.kestra.upgrade.coordinator.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.CloudEvents;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandSigner;
import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.coordinator.config.TestConfig;
import io.kestra.upgrade.coordinator.outbox.OutboxRecord;
import io.kestra.upgrade.coordinator.upgrade.engine.Effects;
import io.kestra.upgrade.coordinator.upgrade.engine.TestRuns;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeMachine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What a transition puts in the outbox, from the effects of a real first transition. */
class EffectsWriterTest {

  private final JsonCodec codec = JsonCodec.create();
  private final Topics topics = new Topics("acme.upgrade");
  private final Instant now = Instant.parse("2026-11-25T10:00:00Z");

  private Effects firstTransition() {
    AtomicInteger ids = new AtomicInteger();
    return new UpgradeMachine(() -> "id-" + ids.incrementAndGet())
        .start(TestRuns.oneOfEachTo100(now), now);
  }

  private EffectsWriter writer(Optional<CommandSigner> signer) {
    return new EffectsWriter(
        null,
        null,
        codec,
        topics,
        signer,
        TestConfig.coordinator(Map.of("coordinator.event-source", "/acme/coordinator")));
  }

  @Test
  void commandsGoFirstKeyedByAgentThenEventsAsCloudEventsKeyedByUpgradeInOrder() {
    Effects fx = firstTransition();

    List<OutboxRecord> records = writer(Optional.empty()).toOutbox(fx);

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
    assertThat(events).extracting(OutboxRecord::key).containsOnly("u-1");
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
  void commandsAreSignedWhenAKeyIsConfigured() {
    CommandSigner signer = new CommandSigner("a-shared-secret-of-32-characters");
    Effects fx = firstTransition();

    List<OutboxRecord> records = writer(Optional.of(signer)).toOutbox(fx);

    Command sent =
        ((Decoded.Ok<Command>) codec.decode(records.get(0).payload(), Command.class)).value();
    assertThat(sent.signature()).isNotBlank();
    assertThat(signer.verify(sent)).isTrue();
    assertThat(sent.withSignature(null)).isEqualTo(fx.commands().get(0));
  }
}
