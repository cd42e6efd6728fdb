package io.kestra.sim.worker;

import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one claimed task run on a worker thread: sleeps its duration, then marks it SUCCESS. An
 * interrupt (forced shutdown) abandons it: it stays RUNNING with its {@code worker_job_running}
 * row, for the liveness coordinator to re-emit.
 */
final class TaskRunExecution implements Runnable {

  private static final Logger LOG = Logger.getLogger(TaskRunExecution.class.getName());
  private static final int COMPLETE_ATTEMPTS = 10;
  private static final long RETRY_MS = 500;

  private final ClaimedTaskRun run;
  private final TaskRunRepository repository;
  private final Runnable onEnd;

  /**
   * @param onEnd called when the run ends, whatever the outcome (frees the worker slot)
   */
  TaskRunExecution(ClaimedTaskRun run, TaskRunRepository repository, Runnable onEnd) {
    this.run = run;
    this.repository = repository;
    this.onEnd = onEnd;
  }

  @Override
  public void run() {
    try {
      Thread.sleep(run.durationMs());
      complete();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warning(
          () ->
              "Task run "
                  + run.id()
                  + " of execution "
                  + run.executionId()
                  + " interrupted: left RUNNING for re-emission");
    } finally {
      onEnd.run();
    }
  }

  private void complete() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        if (!repository.complete(run.id())) {
          LOG.warning(
              () ->
                  "Task run "
                      + run.id()
                      + " was re-emitted while this worker ran it: result dropped");
        }
        return;
      } catch (SQLException e) {
        if (attempt >= COMPLETE_ATTEMPTS) {
          LOG.log(
              Level.SEVERE,
              "Cannot mark task run " + run.id() + " SUCCESS: it stays RUNNING on this worker",
              e);
          return;
        }
        LOG.log(Level.WARNING, "Cannot mark task run " + run.id() + " SUCCESS, retrying", e);
        Thread.sleep(RETRY_MS);
      }
    }
  }
}
