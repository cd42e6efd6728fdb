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

  private static final String CREATE_TASK_RUNS =
      "WITH picked AS (SELECT id FROM executions WHERE state = 'CREATED'"
          + "   ORDER BY created_at LIMIT "
          + BATCH
          + " FOR UPDATE SKIP LOCKED),"
          + " started AS (UPDATE executions e SET state = 'RUNNING' FROM picked"
          + "   WHERE e.id = picked.id RETURNING e.id, e.task_duration_ms)"
          + " INSERT INTO task_runs (id, execution_id, state, attempt, duration_ms)"
          + " SELECT gen_random_uuid()::text, id, 'CREATED', 1, task_duration_ms FROM started";

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
