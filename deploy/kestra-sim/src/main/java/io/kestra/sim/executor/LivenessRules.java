package io.kestra.sim.executor;

import io.kestra.sim.config.WorkerTaskRestartStrategy;
import io.kestra.sim.service.ServiceInstance;
import io.kestra.sim.service.ServiceState;
import io.kestra.sim.service.ServiceType;
import java.time.Instant;

/**
 * The liveness coordinator's judgements, on one {@code service_instance} row and the database time,
 * with the settings that service published (as Kestra's {@code ServiceInstance} does).
 */
final class LivenessRules {

  private LivenessRules() {}

  /**
   * A running service (CREATED, RUNNING) silent for longer than its liveness timeout, and older
   * than its initial delay; never one that published liveness disabled (it sends no heartbeats), as
   * Kestra's coordinator.
   */
  static boolean isNonResponding(ServiceInstance i, Instant now) {
    return i.config().liveness().enabled()
        && ServiceState.RUNNING_STATES.contains(i.state())
        && i.updatedAt().plus(i.config().livenessTimeout()).isBefore(now)
        && !i.createdAt().plus(i.config().initialDelay()).isAfter(now);
  }

  /**
   * A worker whose task runs nobody will finish: DISCONNECTED, silent in TERMINATING, or
   * force-terminated, for longer than its grace period since its last state change; on 0.21 a
   * force-terminated worker at once (0.22 waits, so that the executors can process the results
   * still in flight: Kestra PR #9102).
   *
   * @param forcedAtOnce whether a TERMINATED_FORCED worker is unclean at once (0.21)
   */
  static boolean isUncleanWorker(ServiceInstance i, Instant now, boolean forcedAtOnce) {
    if (i.type() != ServiceType.WORKER) {
      return false;
    }
    if (i.state() == ServiceState.TERMINATED_FORCED && forcedAtOnce) {
      return true;
    }
    boolean unclean =
        i.state() == ServiceState.DISCONNECTED
            || i.state() == ServiceState.TERMINATING
            || i.state() == ServiceState.TERMINATED_FORCED;
    return unclean && i.updatedAt().plus(i.config().terminationGracePeriod()).isBefore(now);
  }

  /** A disconnected worker whose strategy restarts its task runs at once. */
  static boolean restartsImmediately(ServiceInstance i) {
    return i.type() == ServiceType.WORKER
        && i.config().restartStrategy() == WorkerTaskRestartStrategy.IMMEDIATELY;
  }
}
