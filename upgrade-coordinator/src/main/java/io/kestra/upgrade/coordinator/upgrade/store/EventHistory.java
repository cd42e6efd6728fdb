package io.kestra.upgrade.coordinator.upgrade.store;

import static io.kestra.upgrade.coordinator.db.Rows.instant;
import static io.kestra.upgrade.coordinator.db.Rows.setInstant;
import static io.kestra.upgrade.coordinator.db.Rows.setUuid;

import io.kestra.upgrade.common.UpgradeEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The upgrade_event table: every event an upgrade published, in order, as it went on the events
 * topic. Every method runs in the caller's transaction.
 */
@ApplicationScoped
public class EventHistory {

  /** The CloudEvent type of progress events, the only ones pruned by age. */
  public static final String PROGRESS_TYPE =
      UpgradeEvent.typeOf(UpgradeEvent.Entity.STEP, "progress");

  /**
   * A recorded event of an upgrade.
   *
   * @param seq its position in the history of every upgrade: increasing, with gaps
   * @param type CloudEvent type
   * @param subject what changed
   * @param at when
   * @param data the event's JSON
   */
  public record Entry(long seq, String type, String subject, Instant at, String data) {}

  /**
   * Some events of an upgrade, in order.
   *
   * @param events the events
   * @param nextAfter the {@code seq} after which the next page starts, or {@code null} when these
   *     are the last
   */
  public record Page(List<Entry> events, Long nextAfter) {

    public Page {
      events = List.copyOf(events);
    }
  }

  /** Appends events, each with the JSON published for it. */
  public void append(Connection c, List<UpgradeEvent> events, List<byte[]> data)
      throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO upgrade_event (upgrade_id, message_id, type, subject, data, at)"
                + " VALUES (?,?,?,?,?::jsonb,?)")) {
      for (int i = 0; i < events.size(); i++) {
        UpgradeEvent event = events.get(i);
        setUuid(ps, 1, event.upgradeId());
        ps.setString(2, event.messageId());
        ps.setString(3, event.type());
        ps.setString(4, event.subject());
        ps.setString(5, new String(data.get(i), StandardCharsets.UTF_8));
        setInstant(ps, 6, event.at());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * At most {@code limit} events of an upgrade with a {@code seq} above {@code afterSeq}, in the
   * order they happened.
   */
  public Page page(Connection c, String upgradeId, long afterSeq, int limit) throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, type, subject, at, data FROM upgrade_event WHERE upgrade_id=? AND seq > ?"
                + " ORDER BY seq LIMIT ?")) {
      setUuid(ps, 1, upgradeId);
      ps.setLong(2, afterSeq);
      // one more than asked: whether there is a next page
      ps.setInt(3, limit + 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Entry(
                  rs.getLong("seq"),
                  rs.getString("type"),
                  rs.getString("subject"),
                  instant(rs, "at"),
                  rs.getString("data")));
        }
      }
    }
    if (out.size() <= limit) {
      return new Page(out, null);
    }
    List<Entry> events = out.subList(0, limit);
    return new Page(events, events.get(limit - 1).seq());
  }

  /**
   * At most {@code limit} events with a {@code seq} above {@code afterSeq}, in seq order: of
   * upgrade {@code upgradeId}, or else of the upgrades of {@code cluster}, or else of every upgrade
   * (each filter {@code null} when not wanted).
   */
  public List<Entry> after(Connection c, String upgradeId, String cluster, long afterSeq, int limit)
      throws SQLException {
    List<Entry> out = new ArrayList<>();
    String where =
        upgradeId != null
            ? " AND e.upgrade_id = ?"
            : cluster != null
                ? " AND e.upgrade_id IN (SELECT id FROM upgrade WHERE cluster = ?)"
                : "";
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT e.seq, e.type, e.subject, e.at, e.data FROM upgrade_event e WHERE e.seq > ?"
                + where
                + " ORDER BY e.seq LIMIT ?")) {
      int i = 1;
      ps.setLong(i++, afterSeq);
      if (upgradeId != null) {
        setUuid(ps, i++, upgradeId);
      } else if (cluster != null) {
        ps.setString(i++, cluster);
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Entry(
                  rs.getLong("seq"),
                  rs.getString("type"),
                  rs.getString("subject"),
                  instant(rs, "at"),
                  rs.getString("data")));
        }
      }
    }
    return out;
  }

  /** The highest {@code seq} recorded so far, 0 when there is none. */
  public long lastSeq(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT coalesce(max(seq), 0) FROM upgrade_event");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Deletes up to {@code limit} {@code step.progress} events that happened before {@code cutoff},
   * in the caller's transaction; transitions are never touched, and events another transaction is
   * deleting are skipped, not waited for.
   *
   * @return how many were deleted
   */
  public int deleteProgressBefore(Connection c, Instant cutoff, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM upgrade_event WHERE seq IN (SELECT seq FROM upgrade_event WHERE type = ?"
                + " AND at < ? LIMIT ? FOR UPDATE SKIP LOCKED)")) {
      ps.setString(1, PROGRESS_TYPE);
      setInstant(ps, 2, cutoff);
      ps.setInt(3, limit);
      return ps.executeUpdate();
    }
  }
}
