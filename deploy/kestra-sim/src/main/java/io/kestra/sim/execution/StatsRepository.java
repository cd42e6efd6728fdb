package io.kestra.sim.execution;

import io.kestra.sim.db.ConnectionPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** Counts executions, task runs and re-emissions for {@code /api/v1/sim/stats}, in one query. */
public final class StatsRepository {

  private static final String LOST =
      "SELECT count(*) FROM task_runs t WHERE t.state = 'RUNNING' AND ("
          + " NOT EXISTS (SELECT 1 FROM worker_job_running w WHERE w.task_run_id = t.id)"
          + " OR EXISTS (SELECT 1 FROM worker_job_running w"
          + "   LEFT JOIN service_instance s ON s.key = w.worker_id"
          + "   WHERE w.task_run_id = t.id"
          // NOT_RUNNING: the coordinator moves a gracefully terminated worker there, and moves an
          // unclean one there only after deleting its rows (or never re-emitting them: NEVER)
          + "   AND (s.key IS NULL OR s.state IN ('TERMINATED_GRACEFULLY', 'NOT_RUNNING'))))";

  private static final String STATS =
      "SELECT (SELECT count(*) FROM executions) AS created,"
          + " (SELECT count(*) FROM executions WHERE state = 'SUCCESS') AS completed,"
          + " (SELECT value FROM sim_counters WHERE name = 'forced') AS forced,"
          + " (SELECT value FROM sim_counters WHERE name = 'resubmitted') AS resubmitted,"
          + " (SELECT count(*) FROM executions WHERE state <> 'SUCCESS') AS running,"
          + " ("
          + LOST
          + ") AS lost,"
          + " (SELECT count(*) FROM executions WHERE state <> 'SUCCESS' AND created_at < ?)"
          + " AS pending_before";

  private final ConnectionPool pool;
  private final Ledger ledger;

  private Set<String> executionIds() throws SQLException {
    return pool.withConnection(
        c -> {
          Set<String> ids = new HashSet<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT id FROM executions");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getString(1));
            }
          }
          return ids;
        });
  }

  /** A repository over the pool, counting dropped executions against {@code ledger}. */
  public StatsRepository(ConnectionPool pool, Ledger ledger) {
    this.pool = pool;
    this.ledger = ledger;
  }

  /** The counts; {@code pendingBefore} only when {@code createdBefore} is given. */
  public Stats read(Instant createdBefore) throws SQLException, java.io.IOException {
    // the ledger first: an execution created between the two reads is in the database, not dropped
    Optional<Set<String>> accepted = ledger.ids();
    Set<String> held = accepted.isPresent() ? executionIds() : Set.of();
    List<String> dropped =
        accepted
            .map(ids -> ids.stream().filter(id -> !held.contains(id)).toList())
            .orElse(List.of());
    return pool.withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(STATS)) {
            ps.setObject(
                1,
                (createdBefore == null ? Instant.EPOCH : createdBefore).atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new Stats(
                  rs.getLong("created"),
                  rs.getLong("completed"),
                  rs.getLong("forced"),
                  rs.getLong("resubmitted"),
                  rs.getLong("running"),
                  rs.getLong("lost"),
                  createdBefore == null
                      ? OptionalLong.empty()
                      : OptionalLong.of(rs.getLong("pending_before")),
                  accepted.isPresent() ? OptionalLong.of(dropped.size()) : OptionalLong.empty(),
                  dropped.subList(0, Math.min(100, dropped.size())));
            }
          }
        });
  }
}
