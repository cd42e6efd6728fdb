package io.kestra.sim.worker;

import io.kestra.sim.db.ConnectionPool;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker's statements on {@code task_runs} and {@code worker_job_running}. Each is one statement,
 * hence one transaction: a task run is never RUNNING without the row that says which worker holds
 * it, and never SUCCESS with that row left behind.
 */
final class TaskRunRepository {

  private static final String CLAIM =
      "WITH picked AS (SELECT id FROM task_runs WHERE state = 'CREATED'"
          + "   ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED),"
          + " claimed AS (UPDATE task_runs t SET state = 'RUNNING', worker_id = ?,"
          + "   started_at = clock_timestamp() FROM picked WHERE t.id = picked.id"
          + "   RETURNING t.id, t.execution_id, t.duration_ms, t.attempt),"
          + " held AS (INSERT INTO worker_job_running (task_run_id, worker_id)"
          + "   SELECT id, ? FROM claimed)"
          + " SELECT id, execution_id, duration_ms, attempt FROM claimed";

  // the worker_job_running row first, in the same order as the coordinator's re-emission, so the
  // two cannot deadlock, and a re-emitted run (row gone) is not completed by its old worker
  private static final String COMPLETE =
      "WITH released AS (DELETE FROM worker_job_running WHERE task_run_id = ? AND worker_id = ?"
          + "   RETURNING task_run_id)"
          + " UPDATE task_runs t SET state = 'SUCCESS', completed_at = clock_timestamp()"
          + " FROM released WHERE t.id = released.task_run_id AND t.state = 'RUNNING'";

  private static final String COUNT_FORCED =
      "WITH abandoned AS (SELECT count(*) AS n FROM worker_job_running w"
          + "   JOIN task_runs t ON t.id = w.task_run_id"
          + "   WHERE w.worker_id = ? AND t.state = 'RUNNING')"
          + " UPDATE sim_counters SET value = value + (SELECT n FROM abandoned)"
          + " WHERE name = 'forced' RETURNING (SELECT n FROM abandoned)";

  private final ConnectionPool pool;
  private final String workerId;

  TaskRunRepository(ConnectionPool pool, String workerId) {
    this.pool = pool;
    this.workerId = workerId;
  }

  /** Claims up to {@code max} CREATED task runs, oldest first. */
  List<ClaimedTaskRun> claim(int max) throws SQLException {
    return pool.withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setInt(1, max);
            ps.setString(2, workerId);
            ps.setString(3, workerId);
            List<ClaimedTaskRun> claimed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                claimed.add(
                    new ClaimedTaskRun(
                        rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4)));
              }
            }
            return claimed;
          }
        });
  }

  /**
   * Marks a task run SUCCESS and releases it.
   *
   * @return false when this worker no longer holds it (it was re-emitted meanwhile)
   */
  boolean complete(String taskRunId) throws SQLException {
    return pool.withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
            ps.setString(1, taskRunId);
            ps.setString(2, workerId);
            return ps.executeUpdate() == 1;
          }
        });
  }

  /** Adds the RUNNING task runs this worker still holds to the forced counter; returns them. */
  long countForced() throws SQLException {
    return pool.withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(COUNT_FORCED)) {
            ps.setString(1, workerId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0;
            }
          }
        });
  }
}
