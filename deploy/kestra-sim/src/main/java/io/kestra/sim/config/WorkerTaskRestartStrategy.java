package io.kestra.sim.config;

/**
 * When the liveness coordinator re-emits the task runs of a worker that did not finish them ({@code
 * kestra.server.workerTaskRestartStrategy}).
 */
public enum WorkerTaskRestartStrategy {
  /** As soon as the worker is detected as non-responding. */
  IMMEDIATELY,
  /** Once the worker's termination grace period has passed since it stopped responding. */
  AFTER_TERMINATION_GRACE_PERIOD,
  /** Never: the task runs stay with the dead worker. */
  NEVER;

  /** Whether task runs are ever restarted. */
  public boolean isRestartable() {
    return this != NEVER;
  }
}
