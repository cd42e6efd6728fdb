package io.kestra.sim.maintenance;

import io.kestra.sim.db.ConnectionPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * Kestra Enterprise's instance maintenance mode, kept in the database so that every server of the
 * instance sees it and a restart keeps it (and so that a backup taken in maintenance restores into
 * maintenance, as Kestra's would). The stand-in's own table, {@code kestra_sim_instance}, is
 * created when maintenance is first entered, outside the versioned migrations: an installation that
 * never used maintenance mode has no such table, and reads as operational.
 */
public final class InstanceMaintenance {

  private static final String TABLE = "kestra_sim_instance";
  private static final String KEY = "maintenance";
  private static final String UNDEFINED_TABLE = "42P01";

  private final ConnectionPool pool;

  public InstanceMaintenance(ConnectionPool pool) {
    this.pool = pool;
  }

  /** When the instance entered maintenance mode; empty when it is operational. */
  public Optional<Instant> since() throws SQLException {
    try {
      return pool.withConnection(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("SELECT since FROM " + TABLE + " WHERE key = ?")) {
              ps.setString(1, KEY);
              try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                    ? Optional.of(rs.getTimestamp(1).toInstant())
                    : Optional.<Instant>empty();
              }
            }
          });
    } catch (SQLException e) {
      if (UNDEFINED_TABLE.equals(e.getSQLState())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The executions created and waiting to start: in maintenance, those queued. */
  public long queued() throws SQLException {
    return pool.withConnection(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery("SELECT count(*) FROM executions WHERE state = 'CREATED'")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** Enters maintenance mode; entering it again keeps the first instant. */
  public void enter(Instant now) throws SQLException {
    pool.withConnection(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS "
                    + TABLE
                    + " (key VARCHAR(250) PRIMARY KEY, since TIMESTAMPTZ NOT NULL)");
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO " + TABLE + " (key, since) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, KEY);
            ps.setTimestamp(2, Timestamp.from(now));
            return ps.executeUpdate();
          }
        });
  }

  /** Exits maintenance mode; exiting an operational instance changes nothing. */
  public void exit() throws SQLException {
    try {
      pool.withConnection(
          c -> {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM " + TABLE + " WHERE key = ?")) {
              ps.setString(1, KEY);
              return ps.executeUpdate();
            }
          });
    } catch (SQLException e) {
      if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
        throw e;
      }
    }
  }
}
