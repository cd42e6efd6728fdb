package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.common.CloudEvents;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.outbox.OutboxRecord;
import io.kestra.upgrade.coordinator.outbox.OutboxStore;
import io.kestra.upgrade.coordinator.security.AgentKeyring;
import io.kestra.upgrade.coordinator.upgrade.engine.Effects;
import io.kestra.upgrade.coordinator.upgrade.store.EventHistory;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the effects of a transition, in the transition's transaction: commands (each signed with
 * the addressed agent's key) and events into the outbox, events also into the upgrade's history.
 * Each outbox row names its upgrade, and a command its expiry, so that the relay does not send a
 * command that has no use any more.
 */
@ApplicationScoped
public class EffectsWriter {

  private final OutboxStore outbox;
  private final EventHistory history;
  private final JsonCodec codec;
  private final Topics topics;
  private final AgentKeyring keyring;
  private final String eventSource;

  public EffectsWriter(
      OutboxStore outbox,
      EventHistory history,
      JsonCodec codec,
      Topics topics,
      AgentKeyring keyring,
      CoordinatorConfig config) {
    this.outbox = outbox;
    this.history = history;
    this.codec = codec;
    this.topics = topics;
    this.keyring = keyring;
    this.eventSource = config.eventSource();
  }

  /** Writes commands then events, each in the order the machine produced them. */
  public void write(Connection c, Effects effects, Instant now) throws SQLException {
    List<OutboxRecord> records = toOutbox(effects);
    outbox.addAll(c, records, now);
    List<byte[]> eventJson =
        records.subList(effects.commands().size(), records.size()).stream()
            .map(OutboxRecord::payload)
            .toList();
    history.append(c, effects.events(), eventJson);
  }

  /**
   * The records a transition publishes: its commands, signed when a key is configured, keyed by
   * agentId on the commands topic; then its events as CloudEvents in binary mode, keyed by
   * upgradeId on the events topic; each in the order the machine produced them.
   */
  List<OutboxRecord> toOutbox(Effects effects) {
    List<OutboxRecord> records = new ArrayList<>();
    for (Command command : effects.commands()) {
      Command signed =
          keyring.signerFor(command.agentId()).map(s -> s.sign(command)).orElse(command);
      records.add(
          new OutboxRecord(
              topics.commands(),
              signed.agentId(),
              codec.encode(signed),
              Map.of(),
              signed.upgradeId(),
              signed.expiresAt()));
    }
    for (UpgradeEvent event : effects.events()) {
      records.add(
          new OutboxRecord(
              topics.events(),
              event.upgradeId(),
              codec.encode(event),
              CloudEvents.headers(event, eventSource),
              event.upgradeId(),
              null));
    }
    return records;
  }
}
