package io.kestra.upgrade.coordinator.outbox;

import static io.kestra.upgrade.coordinator.db.Rows.instant;
import static io.kestra.upgrade.coordinator.db.Rows.setInstant;
import static io.kestra.upgrade.coordinator.db.Rows.setUuid;
import static io.kestra.upgrade.coordinator.db.Rows.uuid;

import com.fasterxml.jackson.core.type.TypeReference;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.coordinator.leader.LeaderElection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outbox table: records to publish, written in the transaction that causes them. A row ends
 * sent, failed (the broker refused it for good) or dropped (not to be sent any more), each with its
 * time; until then it is pending.
 */
@ApplicationScoped
public class OutboxStore {

  /**
   * A record waiting to be published.
   *
   * @param id position in the outbox: records are published in this order
   * @param record the record
   * @param upgradeFinishedAt when the record's upgrade ended, or {@code null} while it is active
   *     (or the record has none)
   */
  public record Pending(long id, OutboxRecord record, Instant upgradeFinishedAt) {}

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final String PENDING =
      "sent_at IS NULL AND failed_at IS NULL AND dropped_at IS NULL";

  private final JsonCodec codec;

  public OutboxStore(JsonCodec codec) {
    this.codec = codec;
  }

  /**
   * Adds records, in the caller's transaction, in order; the leader is notified at its commit
   * (whichever instance commits).
   */
  public void addAll(Connection c, List<OutboxRecord> records, Instant now) throws SQLException {
    if (records.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO outbox (topic, msg_key, payload, headers, created_at, upgrade_id,"
                + " expires_at) VALUES (?,?,?,?::jsonb,?,?,?)")) {
      for (OutboxRecord record : records) {
        ps.setString(1, record.topic());
        ps.setString(2, record.key());
        ps.setBytes(3, record.payload());
        ps.setString(4, codec.encodeToString(record.headers()));
        setInstant(ps, 5, now);
        setUuid(ps, 6, record.upgradeId());
        setInstant(ps, 7, record.expiresAt());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    LeaderElection.notifyLeader(c);
  }

  /**
   * The oldest pending records, in id order, each with whether its upgrade has ended. Not locked:
   * only the leader relays, and its writes are fenced.
   */
  public List<Pending> pending(Connection c, int limit) throws SQLException {
    List<Pending> rows = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT o.id, o.topic, o.msg_key, o.payload, o.headers, o.upgrade_id, o.expires_at,"
                + " u.finished_at FROM outbox o LEFT JOIN upgrade u ON u.id = o.upgrade_id"
                + " WHERE o.sent_at IS NULL AND o.failed_at IS NULL AND o.dropped_at IS NULL"
                + " ORDER BY o.id LIMIT ?")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Pending(
                  rs.getLong("id"),
                  new OutboxRecord(
                      rs.getString("topic"),
                      rs.getString("msg_key"),
                      rs.getBytes("payload"),
                      headers(rs.getString("headers")),
                      uuid(rs, "upgrade_id"),
                      instant(rs, "expires_at")),
                  instant(rs, "finished_at")));
        }
      }
    }
    return rows;
  }

  /** How many records wait to be published (neither sent, refused for good, nor dropped). */
  public long backlog(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE " + PENDING);
        java.sql.ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Marks pending records as published. */
  public void markSent(Connection c, List<Long> ids, Instant now) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE outbox SET sent_at=? WHERE id = ANY (?) AND " + PENDING)) {
      setInstant(ps, 1, now);
      Array array = c.createArrayOf("bigint", ids.toArray());
      ps.setArray(2, array);
      ps.executeUpdate();
    }
  }

  /**
   * Marks a pending record as refused for good by the broker, with why.
   *
   * @return whether it was pending until now
   */
  public boolean markFailed(Connection c, long id, String reason, Instant now) throws SQLException {
    return settle(c, "failed_at", id, reason, now);
  }

  /** Marks a pending record as not to be sent, with why. */
  public void markDropped(Connection c, long id, String reason, Instant now) throws SQLException {
    settle(c, "dropped_at", id, reason, now);
  }

  private boolean settle(Connection c, String column, long id, String reason, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE outbox SET " + column + "=?, reason=? WHERE id=? AND " + PENDING)) {
      setInstant(ps, 1, now);
      ps.setString(2, reason);
      ps.setLong(3, id);
      return ps.executeUpdate() == 1;
    }
  }

  private Map<String, String> headers(String json) {
    try {
      return codec.mapper().readValue(json, STRING_MAP);
    } catch (IOException e) {
      throw new UncheckedIOException("outbox headers are not a string map: " + json, e);
    }
  }

  /**
   * Deletes up to {@code limit} records published before {@code cutoff}, in the caller's
   * transaction; unsent records are never touched, and records another transaction is deleting are
   * skipped, not waited for.
   *
   * @return how many were deleted
   */
  public int deleteSentBefore(Connection c, Instant cutoff, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at < ? LIMIT ?"
                + " FOR UPDATE SKIP LOCKED)")) {
      setInstant(ps, 1, cutoff);
      ps.setInt(2, limit);
      return ps.executeUpdate();
    }
  }
}
