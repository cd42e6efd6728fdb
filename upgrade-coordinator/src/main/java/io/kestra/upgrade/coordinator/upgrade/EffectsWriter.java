package io.kestra.upgrade.coordinator.upgrade;

import static io.kestra.upgrade.coordinator.db.Rows.setInstant;
import static io.kestra.upgrade.coordinator.db.Rows.setUuid;

import io.kestra.upgrade.common.CloudEvents;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandSigner;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.outbox.OutboxStore;
import io.kestra.upgrade.coordinator.upgrade.engine.Effects;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the effects of a transition, in the transition's transaction: commands (signed when a key
 * is configured) and events into the outbox, events also into the upgrade's history.
 */
@ApplicationScoped
public class EffectsWriter {

  private final OutboxStore outbox;
  private final JsonCodec codec;
  private final Topics topics;
  private final Optional<CommandSigner> signer;
  private final String eventSource;

  public EffectsWriter(
      OutboxStore outbox,
      JsonCodec codec,
      Topics topics,
      Optional<CommandSigner> signer,
      CoordinatorConfig config) {
    this.outbox = outbox;
    this.codec = codec;
    this.topics = topics;
    this.signer = signer;
    this.eventSource = config.eventSource();
  }

  /** Writes commands then events, each in the order the machine produced them. */
  public void write(Connection c, Effects effects, Instant now) throws SQLException {
    for (Command command : effects.commands()) {
      Command signed = signer.map(s -> s.sign(command)).orElse(command);
      outbox.add(c, topics.commands(), signed.agentId(), codec.encode(signed), Map.of(), now);
    }
    try (PreparedStatement history =
        c.prepareStatement(
            "INSERT INTO upgrade_event (upgrade_id, message_id, type, subject, data, at)"
                + " VALUES (?,?,?,?,?::jsonb,?)")) {
      for (UpgradeEvent event : effects.events()) {
        byte[] data = codec.encode(event);
        outbox.add(
            c,
            topics.events(),
            event.upgradeId(),
            data,
            CloudEvents.headers(event, eventSource),
            now);
        setUuid(history, 1, event.upgradeId());
        history.setString(2, event.messageId());
        history.setString(3, event.type());
        history.setString(4, event.subject());
        history.setString(5, new String(data, java.nio.charset.StandardCharsets.UTF_8));
        setInstant(history, 6, event.at());
        history.addBatch();
      }
      if (!effects.events().isEmpty()) {
        history.executeBatch();
      }
    }
  }
}
