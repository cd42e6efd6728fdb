package io.kestra.sim.executor;

import io.kestra.sim.db.ConnectionPool;
import io.kestra.sim.service.ServiceInstance;
import io.kestra.sim.service.ServiceInstanceRepository;
import io.kestra.sim.service.ServiceInstanceRepository.Snapshot;
import io.kestra.sim.service.ServiceState;
import io.kestra.sim.service.ServiceType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.logging.Logger;

/**
 * Kestra's liveness coordinator, run by a RUNNING executor every liveness interval. In one
 * transaction:
 *
 * <ol>
 *   <li>services silent for longer than their liveness timeout become DISCONNECTED; the task runs
 *       of such a worker are re-emitted at once if its strategy is IMMEDIATELY;
 *   <li>workers that are DISCONNECTED, silent in TERMINATING, or (from 0.22, Kestra PR #9102)
 *       TERMINATED_FORCED for longer than their grace period since their last state change are
 *       unclean, and so is a TERMINATED_FORCED worker at once on 0.21: their task runs are
 *       re-emitted (unless their strategy is NEVER) and they become NOT_RUNNING;
 *   <li>gracefully terminated workers become NOT_RUNNING (they hold nothing).
 * </ol>
 *
 * <p>So a SIGKILLed worker's task runs come back about liveness timeout + grace period after its
 * last heartbeat, a force-terminated worker's at the next run (0.21) or a grace period after it
 * stopped (0.22 on).
 */
final class LivenessCoordinator {

  private static final Logger LOG = Logger.getLogger(LivenessCoordinator.class.getName());

  private static final EnumSet<ServiceState> WATCHED =
      EnumSet.of(
          ServiceState.CREATED,
          ServiceState.RUNNING,
          ServiceState.TERMINATING,
          ServiceState.DISCONNECTED,
          ServiceState.TERMINATED_FORCED,
          ServiceState.TERMINATED_GRACEFULLY);

  private final ConnectionPool pool;
  private final boolean resubmitForcedAtOnce;

  LivenessCoordinator(ConnectionPool pool, boolean resubmitForcedAtOnce) {
    this.pool = pool;
    this.resubmitForcedAtOnce = resubmitForcedAtOnce;
  }

  /** One run of the coordinator. */
  void run() throws SQLException {
    pool.inTransaction(
        c -> {
          Snapshot snapshot = ServiceInstanceRepository.find(c, WATCHED);
          List<ServiceInstance> remaining = disconnectNonResponding(c, snapshot);
          handleStoppedWorkers(c, remaining, snapshot.now());
          return null;
        });
  }

  private List<ServiceInstance> disconnectNonResponding(Connection c, Snapshot snapshot)
      throws SQLException {
    List<ServiceInstance> remaining = new ArrayList<>();
    List<String> restartNow = new ArrayList<>();
    for (ServiceInstance i : snapshot.instances()) {
      if (!LivenessRules.isNonResponding(i, snapshot.now())) {
        remaining.add(i);
        continue;
      }
      LOG.warning(
          () ->
              "Detected non-responding service [id="
                  + i.id()
                  + ", type="
                  + i.type()
                  + ", hostname="
                  + i.hostname()
                  + "] after timeout ("
                  + (snapshot.now().toEpochMilli() - i.updatedAt().toEpochMilli())
                  + "ms).");
      if (ServiceInstanceRepository.transition(c, i.id(), i.state(), ServiceState.DISCONNECTED)
          && LivenessRules.restartsImmediately(i)) {
        restartNow.add(i.id());
      }
    }
    if (!restartNow.isEmpty()) {
      long n = TaskRunResubmitter.resubmit(c, restartNow);
      LOG.info(
          "Trigger task restart for non-responding workers after timeout: "
              + restartNow
              + " ("
              + n
              + " task run(s) re-emitted).");
    }
    return remaining;
  }

  private void handleStoppedWorkers(Connection c, List<ServiceInstance> instances, Instant now)
      throws SQLException {
    List<String> restart = new ArrayList<>();
    List<ServiceInstance> done = new ArrayList<>();
    for (ServiceInstance i : instances) {
      if (LivenessRules.isUncleanWorker(i, now, resubmitForcedAtOnce)) {
        done.add(i);
        if (i.config().restartStrategy().isRestartable()) {
          restart.add(i.id());
        }
      } else if (i.type() == ServiceType.WORKER
          && i.state() == ServiceState.TERMINATED_GRACEFULLY) {
        done.add(i);
      }
    }
    if (!restart.isEmpty()) {
      long n = TaskRunResubmitter.resubmit(c, restart);
      LOG.info(
          "Trigger task restart for non-responding workers after termination grace period: "
              + restart
              + " ("
              + n
              + " task run(s) re-emitted).");
    }
    for (ServiceInstance i : done) {
      ServiceInstanceRepository.transition(c, i.id(), i.state(), ServiceState.NOT_RUNNING);
    }
  }
}
