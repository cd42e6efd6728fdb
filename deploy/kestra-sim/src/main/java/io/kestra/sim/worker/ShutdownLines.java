package io.kestra.sim.worker;

/**
 * What a draining worker logs, word for word as the Kestra line it stands for writes it (the agents
 * read these lines to tell a forced stop from a graceful one).
 *
 * @param waiting logged every second while task runs are left, with {@code %d} for their count
 * @param allTerminated logged when every task run finished in time
 * @param forcing logged when the grace period ends with task runs still running
 */
public record ShutdownLines(String waiting, String allTerminated, String forcing) {

  /** Up to 1.x: the worker of Kestra's {@code core}. */
  static final ShutdownLines CORE_WORKER =
      new ShutdownLines(
          "Waiting for all worker threads to terminate (remaining: %d).",
          "All working threads are terminated.",
          "Worker still has some pending threads after `terminationGracePeriod`. Forcing shutdown"
              + " now.");

  /** From 2.0: Kestra's {@code worker} module. */
  static final ShutdownLines WORKER_MODULE =
      new ShutdownLines(
          "Waiting for all worker job to terminate (remaining: %d).",
          "All worker jobs are terminated",
          "Worker still has pending jobs after the termination grace period. Forcing shutdown.");

  /** The lines of a release line with or without the 2.x worker module. */
  public static ShutdownLines of(boolean workerModule) {
    return workerModule ? WORKER_MODULE : CORE_WORKER;
  }
}
