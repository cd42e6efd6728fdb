package io.kestra.upgrade.coordinator.messagelog;

import static io.kestra.upgrade.coordinator.db.Rows.setInstant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The messages each idempotent consumer has applied (Debezium's message log): checked and written
 * in the transaction that applies a message, so a redelivered message is recognised and changes
 * nothing. Keyed by consumer and messageId; pruned by age ({@code
 * coordinator.retention.message-log}), so a message older than that must be refused by its age, not
 * by this log.
 */
@ApplicationScoped
public class MessageLog {

  /**
   * Records that {@code consumer} applies {@code messageId} now, in the caller's transaction.
   *
   * @return {@code false} when the message was applied before: the caller must not apply it again.
   *     A concurrent transaction recording the same message blocks this one until it ends, so two
   *     deliveries never both see {@code true}.
   */
  public boolean firstDelivery(Connection c, String consumer, String messageId, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO processed_message (consumer, message_id, processed_at) VALUES (?,?,?)"
                + " ON CONFLICT (consumer, message_id) DO NOTHING")) {
      ps.setString(1, consumer);
      ps.setString(2, messageId);
      setInstant(ps, 3, now);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * Deletes up to {@code limit} entries recorded before {@code cutoff}, in the caller's
   * transaction; entries another transaction is deleting are skipped, not waited for.
   *
   * @return how many were deleted
   */
  public int deleteRecordedBefore(Connection c, Instant cutoff, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM processed_message WHERE (consumer, message_id) IN (SELECT consumer,"
                + " message_id FROM processed_message WHERE processed_at < ? LIMIT ?"
                + " FOR UPDATE SKIP LOCKED)")) {
      setInstant(ps, 1, cutoff);
      ps.setInt(2, limit);
      return ps.executeUpdate();
    }
  }
}
