package io.kestra.upgrade.coordinator.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.common.CloudEvents;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.outbox.OutboxRecord;
import io.kestra.upgrade.coordinator.outbox.OutboxStore;
import io.kestra.upgrade.coordinator.outbox.RefusedRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What follows when the broker refuses an outbox row for good: a command's step fails at once
 * (COMMAND_UNDELIVERABLE), through the state machine, which ends the upgrade as any failed step
 * does; an event's upgrade gets an {@code io.kestra.upgrade.outbox.refused} event saying which row
 * was refused and why.
 */
@ApplicationScoped
public class RefusedOutboxRows implements RefusedRows {

  private static final Logger LOG = Logger.getLogger(RefusedOutboxRows.class);

  private final Transitions transitions;
  private final JsonCodec codec;
  private final Topics topics;

  public RefusedOutboxRows(Transitions transitions, JsonCodec codec, Topics topics) {
    this.transitions = transitions;
    this.codec = codec;
    this.topics = topics;
  }

  @Override
  public boolean refused(Connection c, OutboxStore.Pending row, String reason, Instant now)
      throws SQLException {
    OutboxRecord record = row.record();
    if (record.topic().equals(topics.commands())) {
      // the coordinator's own JSON, read as a tree: a record refused for its size may also be
      // past what a decoder accepts
      JsonNode command = tree(record.payload());
      String commandId = command == null ? "" : command.path("commandId").asText("");
      String upgradeId = command == null ? "" : command.path("upgradeId").asText("");
      if (!isUuid(commandId) || !isUuid(upgradeId)) {
        LOG.errorf("refused outbox row %d holds no command of an upgrade: no step fails", row.id());
        return false;
      }
      return transitions.onCommandUndeliverable(c, upgradeId, commandId, reason, now);
    }
    // events are keyed by their upgrade
    String upgradeId = record.upgradeId() != null ? record.upgradeId() : record.key();
    if (!isUuid(upgradeId)) {
      LOG.errorf("refused outbox row %d names no upgrade (key %s)", row.id(), record.key());
      return false;
    }
    String type = record.headers().getOrDefault(CloudEvents.HEADER_TYPE, "(no type)");
    return transitions.onEventRefused(c, upgradeId, row.id(), type, reason, now);
  }

  private JsonNode tree(byte[] payload) {
    try {
      return codec.mapper().readTree(payload);
    } catch (IOException e) {
      LOG.errorf(e, "a refused outbox row is not JSON");
      return null;
    }
  }

  private static boolean isUuid(String s) {
    try {
      UUID.fromString(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
