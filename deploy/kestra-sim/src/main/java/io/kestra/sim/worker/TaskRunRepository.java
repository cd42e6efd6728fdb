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

  // worker_job_running's value is Kestra's WorkerTaskRunning: the worker, the task run RUNNING in
  // a new attempt, and the task of the WorkerTask that was emitted
  private static final String CLAIM =
      "WITH me AS (SELECT ?::text AS worker, to_jsonb(clock_timestamp()) AS at),"
          + " picked AS (SELECT id FROM task_runs WHERE state = 'CREATED'"
          + "   ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED),"
          + " claimed AS (UPDATE task_runs t SET state = 'RUNNING', worker_id = me.worker,"
          + "   started_at = clock_timestamp() FROM picked, me WHERE t.id = picked.id"
          + "   RETURNING t.id, t.execution_id, t.duration_ms, t.attempt, t.value, t.created_at),"
          + " held AS (INSERT INTO worker_job_running (task_run_id, worker_id, value)"
          + "   SELECT c.id, me.worker, jsonb_build_object('type', 'task',"
          + "     'workerInstance', jsonb_build_object('uid', me.worker, 'workerUuid', me.worker),"
          + "     'partition', 0,"
          + "     'taskRun', (c.value->'taskRun') || jsonb_build_object("
          + "       'state', jsonb_build_object('current', 'RUNNING',"
          + "         'histories', (c.value #> '{taskRun,state,histories}')"
          + "           || jsonb_build_array(jsonb_build_object('state', 'RUNNING', 'date', me.at)),"
          + "         'startDate', c.value #> '{taskRun,state,startDate}',"
          + "         'duration', extract(epoch FROM clock_timestamp() - c.created_at)),"
          + "       'attempts', COALESCE(c.value #> '{taskRun,attempts}', '[]'::jsonb)"
          + "         || jsonb_build_array(jsonb_build_object('state', jsonb_build_object("
          + "           'current', 'RUNNING', 'histories', jsonb_build_array("
          + "             jsonb_build_object('state', 'RUNNING', 'date', me.at)),"
          + "           'startDate', me.at, 'duration', 0)))),"
          + "     'task', c.value->'task') FROM claimed c, me)"
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
            ps.setString(1, workerId);
            ps.setInt(2, max);
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
