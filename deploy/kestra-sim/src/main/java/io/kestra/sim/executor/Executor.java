package io.kestra.sim.executor;

import io.kestra.sim.config.LivenessSettings;
import io.kestra.sim.db.ConnectionPool;
import io.kestra.sim.maintenance.InstanceMaintenance;
import io.kestra.sim.role.PollingLoop;
import io.kestra.sim.role.Role;
import io.kestra.sim.service.LocalService;
import io.kestra.sim.service.ServiceState;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * The executor: turns CREATED executions into task runs and completes executions whose task run
 * succeeded (every 100 ms; in Enterprise maintenance mode it starts none, they queue), and runs the
 * liveness coordinator every liveness interval plus a jitter (as Kestra, so that several executors
 * do not query at the same instant) while it is RUNNING. On stop it does not wait for in-flight
 * work.
 */
public final class Executor implements Role {

  private static final Logger LOG = Logger.getLogger(Executor.class.getName());
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long MAX_JITTER_MS = 500;

  private final LocalService service;
  private final ExecutionDispatch dispatch;
  private final InstanceMaintenance maintenance;
  private final LivenessCoordinator coordinator;
  private final PollingLoop dispatchLoop;
  private final PollingLoop livenessLoop;
  private final boolean livenessEnabled;

  /**
   * An executor for the service, coordinating liveness at {@code liveness.interval()}.
   *
   * @param resubmitForcedAtOnce whether force-terminated workers' task runs are re-emitted at once
   *     (0.21) rather than after their grace period (0.22 on)
   */
  public Executor(
      LocalService service,
      ConnectionPool pool,
      InstanceMaintenance maintenance,
      LivenessSettings liveness,
      boolean resubmitForcedAtOnce) {
    this.service = service;
    this.livenessEnabled = liveness.enabled();
    this.dispatch = new ExecutionDispatch(pool);
    this.maintenance = maintenance;
    this.coordinator = new LivenessCoordinator(pool, resubmitForcedAtOnce);
    this.dispatchLoop = new PollingLoop("executor", () -> POLL, this::dispatch);
    Duration interval = liveness.interval();
    long jitterBound = Math.max(1, Math.min(MAX_JITTER_MS, interval.toMillis() / 2));
    this.livenessLoop =
        new PollingLoop(
            "service-liveness-coordinator",
            () -> interval.plusMillis(ThreadLocalRandom.current().nextLong(jitterBound)),
            this::coordinate);
  }

  @Override
  public LocalService service() {
    return service;
  }

  @Override
  public void start() {
    dispatchLoop.start();
    if (livenessEnabled) {
      livenessLoop.start();
    } else {
      LOG.warning(LivenessSettings.DISABLED_WARNING);
    }
    LOG.info("Executor started");
  }

  @Override
  public ServiceState stop() {
    livenessLoop.stop();
    dispatchLoop.stop();
    LOG.info("Executor stopped");
    return ServiceState.TERMINATED_GRACEFULLY;
  }

  private void dispatch() throws SQLException {
    // in maintenance mode new executions are queued, not started; those running finish
    int started = maintenance.since().isPresent() ? 0 : dispatch.createTaskRuns();
    int completed = dispatch.completeExecutions();
    if (started > 0 || completed > 0) {
      LOG.fine(() -> "Executions started: " + started + ", completed: " + completed);
    }
  }

  private void coordinate() throws SQLException {
    // only a RUNNING executor coordinates: not while it starts, nor while it stops
    if (service.state() == ServiceState.RUNNING) {
      coordinator.run();
    }
  }
}
