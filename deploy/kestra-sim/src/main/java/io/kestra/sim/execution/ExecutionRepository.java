package io.kestra.sim.execution;

import io.kestra.sim.db.ConnectionPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Creates and reads executions (table {@code executions}). */
public final class ExecutionRepository {

  private static final String COLUMNS =
      "id, namespace, flow_id, state, task_duration_ms, created_at, completed_at";

  private final ConnectionPool pool;
  private final Ledger ledger;

  /** A repository over the pool, without a ledger. */
  public ExecutionRepository(ConnectionPool pool) {
    this(pool, new Ledger(Optional.empty()));
  }

  /** A repository over the pool, recording each execution it creates in {@code ledger}. */
  public ExecutionRepository(ConnectionPool pool, Ledger ledger) {
    this.pool = pool;
    this.ledger = ledger;
  }

  /** Creates an execution in state CREATED. */
  public Execution create(String namespace, String flowId, long taskDurationMs)
      throws SQLException {
    String id = UUID.randomUUID().toString();
    Execution created =
        pool.withConnection(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "INSERT INTO executions (id, namespace, flow_id, task_duration_ms, state)"
                          + " VALUES (?, ?, ?, ?, 'CREATED') RETURNING "
                          + COLUMNS)) {
                ps.setString(1, id);
                ps.setString(2, namespace);
                ps.setString(3, flowId);
                ps.setLong(4, taskDurationMs);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return read(rs);
                }
              }
            });
    // after the insert: a ledger line is an execution the database held
    ledger.created(id);
    return created;
  }

  /** The execution with that id. */
  public Optional<Execution> find(String id) throws SQLException {
    return pool.withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT " + COLUMNS + " FROM executions WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  /** The newest {@code size} executions and the total count, in one round trip. */
  public ExecutionPage search(int size) throws SQLException {
    return pool.withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + ", (SELECT count(*) FROM executions) AS total FROM executions"
                      + " ORDER BY created_at DESC LIMIT ?")) {
            ps.setInt(1, size);
            List<Execution> page = new ArrayList<>();
            long total = -1;
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                page.add(read(rs));
                total = rs.getLong("total");
              }
            }
            return new ExecutionPage(total < 0 ? count(c) : total, page);
          }
        });
  }

  private static long count(java.sql.Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM executions");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Execution read(ResultSet rs) throws SQLException {
    Timestamp completed = rs.getTimestamp("completed_at");
    return new Execution(
        rs.getString("id"),
        rs.getString("namespace"),
        rs.getString("flow_id"),
        rs.getString("state"),
        rs.getLong("task_duration_ms"),
        rs.getTimestamp("created_at").toInstant(),
        completed == null ? null : completed.toInstant());
  }
}
