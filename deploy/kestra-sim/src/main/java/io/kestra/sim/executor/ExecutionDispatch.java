package io.kestra.sim.executor;

import io.kestra.sim.db.ConnectionPool;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The executor's work on executions: a CREATED execution gets its one task run (and becomes
 * RUNNING); a RUNNING execution whose task run succeeded becomes SUCCESS. Each is one statement,
 * safe with several executors at once ({@code SKIP LOCKED}, and the state re-check of an update).
 */
final class ExecutionDispatch {

  private static final int BATCH = 200;

  /** The id of every execution's one task, as in a flow's {@code tasks}. */
  static final String TASK_ID = "sleep";

  // the task run's value is the WorkerTask Kestra's executor emits: its TaskRun (CREATED) and its
  // task, a core Sleep of the execution's duration
  private static final String CREATE_TASK_RUNS =
      "WITH picked AS (SELECT id FROM executions WHERE state = 'CREATED'"
          + "   ORDER BY created_at LIMIT "
          + BATCH
          + " FOR UPDATE SKIP LOCKED),"
          + " started AS (UPDATE executions e SET state = 'RUNNING' FROM picked"
          + "   WHERE e.id = picked.id RETURNING e.id, e.namespace, e.flow_id, e.task_duration_ms),"
          + " runs AS (SELECT gen_random_uuid()::text AS run_id, to_jsonb(clock_timestamp()) AS at,"
          + "   s.* FROM started s)"
          + " INSERT INTO task_runs (id, execution_id, state, attempt, duration_ms, value)"
          + " SELECT run_id, id, 'CREATED', 1, task_duration_ms, jsonb_build_object('type', 'task',"
          + "   'taskRun', jsonb_build_object('id', run_id, 'executionId', id, 'namespace', namespace,"
          + "     'flowId', flow_id, 'taskId', '"
          + TASK_ID
          + "', 'state', jsonb_build_object('current', 'CREATED',"
          + "       'histories', jsonb_build_array(jsonb_build_object('state', 'CREATED', 'date', at)),"
          + "       'startDate', at, 'duration', 0)),"
          + "   'task', jsonb_build_object('id', '"
          + TASK_ID
          + "', 'type', 'io.kestra.plugin.core.flow.Sleep', 'duration', 'PT'"
          + "     || (task_duration_ms / 1000) || '.' || lpad((task_duration_ms % 1000)::text, 3, '0')"
          + "     || 'S')) FROM runs";

  private static final String COMPLETE_EXECUTIONS =
      "UPDATE executions e SET state = 'SUCCESS', completed_at = t.completed_at FROM task_runs t"
          + " WHERE t.execution_id = e.id AND e.state = 'RUNNING' AND t.state = 'SUCCESS'";

  private final ConnectionPool pool;

  ExecutionDispatch(ConnectionPool pool) {
    this.pool = pool;
  }

  /** Gives CREATED executions their task run; returns how many. */
  int createTaskRuns() throws SQLException {
    return update(CREATE_TASK_RUNS);
  }

  /** Completes executions whose task run succeeded; returns how many. */
  int completeExecutions() throws SQLException {
    return update(COMPLETE_EXECUTIONS);
  }

  private int update(String sql) throws SQLException {
    return pool.withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            return ps.executeUpdate();
          }
        });
  }
}
