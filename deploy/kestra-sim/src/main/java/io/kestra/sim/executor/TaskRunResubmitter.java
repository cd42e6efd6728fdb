package io.kestra.sim.executor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Re-emits the task runs that dead workers held: deletes their {@code worker_job_running} rows,
 * puts the task runs back to CREATED with attempt + 1 and adds them to the {@code resubmitted}
 * counter, in one statement. Deleting the rows first makes a concurrent coordinator (or the worker
 * finishing the run) find nothing to do, so a task run is re-emitted once.
 */
final class TaskRunResubmitter {

  // the re-emitted value is Kestra's re-emission: the WorkerTask of the running job, its task run
  // as TaskRun.onRunningResend() leaves it (the last attempt KILLED)
  private static final String RESUBMIT =
      "WITH gone AS (DELETE FROM worker_job_running WHERE worker_id = ANY(?)"
          + "   RETURNING task_run_id, value),"
          + " back AS (UPDATE task_runs t SET state = 'CREATED', worker_id = NULL,"
          + "   started_at = NULL, attempt = t.attempt + 1,"
          + "   value = jsonb_build_object('type', 'task', 'task', gone.value->'task',"
          + "     'taskRun', jsonb_set(gone.value->'taskRun', '{attempts,-1,state}', jsonb_build_object("
          + "       'current', 'KILLED',"
          + "       'histories', (gone.value #> '{taskRun,attempts,-1,state,histories}')"
          + "         || jsonb_build_array(jsonb_build_object("
          + "           'state', 'KILLED', 'date', to_jsonb(clock_timestamp()))),"
          + "       'startDate', gone.value #> '{taskRun,attempts,-1,state,startDate}',"
          + "       'endDate', to_jsonb(clock_timestamp()), 'duration', 0)))"
          + "   FROM gone WHERE t.id = gone.task_run_id AND t.state = 'RUNNING' RETURNING t.id),"
          + " counted AS (UPDATE sim_counters SET value = value + (SELECT count(*) FROM back)"
          + "   WHERE name = 'resubmitted')"
          + " SELECT count(*) FROM back";

  private TaskRunResubmitter() {}

  /** Re-emits the task runs of those workers in the caller's transaction; returns how many. */
  static long resubmit(Connection c, Collection<String> workerIds) throws SQLException {
    if (workerIds.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps = c.prepareStatement(RESUBMIT)) {
      ps.setArray(1, c.createArrayOf("varchar", workerIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
