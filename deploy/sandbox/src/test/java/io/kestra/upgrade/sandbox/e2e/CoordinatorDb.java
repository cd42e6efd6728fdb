package io.kestra.upgrade.sandbox.e2e;

import io.kestra.upgrade.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The coordinators' database as a test reads it, directly: it answers while every coordinator is
 * dead or frozen, so a test can time a fault to a phase and measure the recovery without asking the
 * process it is hurting.
 */
final class CoordinatorDb {

  private final TestPostgres.Database db;

  CoordinatorDb(TestPostgres.Database db) {
    this.db = db;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  /** Whether a step of {@code phase} of the upgrade has its command out (SENT or RUNNING). */
  boolean phaseInFlight(String upgradeId, String phase) {
    return count(
            "SELECT count(*) FROM upgrade_step WHERE upgrade_id=?::uuid AND phase=?"
                + " AND state IN ('SENT','RUNNING')",
            upgradeId,
            phase)
        > 0;
  }

  /** Whether the step of {@code type} on {@code agentId} is RUNNING. */
  boolean stepRunning(String upgradeId, String type, String agentId) {
    return count(
            "SELECT count(*) FROM upgrade_step WHERE upgrade_id=?::uuid AND command_type=?"
                + " AND agent_id=? AND state='RUNNING'",
            upgradeId,
            type,
            agentId)
        > 0;
  }

  /** When the upgrade's first transition after {@code after} was recorded, if one was. */
  Optional<Instant> firstEventAfter(String upgradeId, Instant after) {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT min(at) FROM upgrade_event WHERE upgrade_id=?::uuid AND at > ?"
                    + " AND type <> 'io.kestra.upgrade.step.progress'")) {
      ps.setString(1, upgradeId);
      ps.setTimestamp(2, Timestamp.from(after));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        Timestamp t = rs.getTimestamp(1);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The event types of the upgrade, in order. */
  List<String> eventTypes(String upgradeId) {
    List<String> out = new ArrayList<>();
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT type, coalesce(subject,'') FROM upgrade_event WHERE upgrade_id=?::uuid ORDER BY seq")) {
      ps.setString(1, upgradeId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + " " + rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** When the coordinators last received a heartbeat of {@code agentId}, if it is registered. */
  Optional<Instant> lastSeenAt(String agentId) {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT last_seen_at FROM agent WHERE agent_id=?")) {
      ps.setString(1, agentId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The leader's instance id and epoch, as the last leader recorded them. */
  Leader leader() {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT holder, epoch FROM leader_epoch WHERE id=1");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Leader(rs.getString(1), rs.getLong(2));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The leader as recorded: who, and its epoch. */
  record Leader(String holder, long epoch) {}

  /**
   * Ends the database session that holds the leader's advisory lock, as a dropped connection would.
   *
   * @return whether one was found
   */
  boolean terminateLeaderSession() {
    return count(
            "SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l"
                + " WHERE l.locktype='advisory' AND l.granted AND l.database ="
                + " (SELECT oid FROM pg_database WHERE datname = current_database())")
        > 0;
  }

  long count(String sql, Object... args) {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
