package io.kestra.upgrade.coordinator.outbox;

import static io.kestra.upgrade.coordinator.db.Rows.setInstant;

import com.fasterxml.jackson.core.type.TypeReference;
import io.kestra.upgrade.common.JsonCodec;
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

/** The outbox table: records to publish, written in the transaction that causes them. */
@ApplicationScoped
public class OutboxStore {

  /**
   * A record waiting to be published.
   *
   * @param id position in the outbox: records are published in this order
   * @param record the record
   */
  public record Row(long id, OutboxRecord record) {}

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final JsonCodec codec;

  public OutboxStore(JsonCodec codec) {
    this.codec = codec;
  }

  /** Adds a record, in the caller's transaction. */
  public void add(Connection c, OutboxRecord record, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO outbox (topic, msg_key, payload, headers, created_at) VALUES (?,?,?,?::jsonb,?)")) {
      ps.setString(1, record.topic());
      ps.setString(2, record.key());
      ps.setBytes(3, record.payload());
      ps.setString(4, codec.encodeToString(record.headers()));
      setInstant(ps, 5, now);
      ps.executeUpdate();
    }
  }

  /** The oldest unsent records, locked for this transaction (other relays skip them). */
  public List<Row> lockUnsent(Connection c, int limit) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, topic, msg_key, payload, headers FROM outbox WHERE sent_at IS NULL"
                + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getLong("id"),
                  new OutboxRecord(
                      rs.getString("topic"),
                      rs.getString("msg_key"),
                      rs.getBytes("payload"),
                      headers(rs.getString("headers")))));
        }
      }
    }
    return rows;
  }

  /** Marks records as published. */
  public void markSent(Connection c, List<Long> ids, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE outbox SET sent_at=? WHERE id = ANY (?)")) {
      setInstant(ps, 1, now);
      Array array = c.createArrayOf("bigint", ids.toArray());
      ps.setArray(2, array);
      ps.executeUpdate();
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
