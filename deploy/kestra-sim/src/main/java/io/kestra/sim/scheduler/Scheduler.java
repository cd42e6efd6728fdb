package io.kestra.sim.scheduler;

import io.kestra.sim.execution.ExecutionRepository;
import io.kestra.sim.execution.TaskDurations;
import io.kestra.sim.role.Role;
import io.kestra.sim.service.LocalService;
import io.kestra.sim.service.ServiceState;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduler: creates executions of flow {@code sim.upgrade/steady} at a fixed rate ({@code
 * kestra.sim.scheduler.rate} per second, fractional allowed, 0 for none), each with a random task
 * duration.
 */
public final class Scheduler implements Role {

  /** Namespace of the scheduled flow. */
  public static final String NAMESPACE = "sim.upgrade";

  /** Id of the scheduled flow. */
  public static final String FLOW_ID = "steady";

  private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());

  private final LocalService service;
  private final ExecutionRepository executions;
  private final TaskDurations durations;
  private final double ratePerSecond;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "scheduler");
            t.setDaemon(true);
            return t;
          });

  /** A scheduler for the service. */
  public Scheduler(
      LocalService service,
      ExecutionRepository executions,
      TaskDurations durations,
      double ratePerSecond) {
    this.service = service;
    this.executions = executions;
    this.durations = durations;
    this.ratePerSecond = ratePerSecond;
  }

  @Override
  public LocalService service() {
    return service;
  }

  @Override
  public void start() {
    if (ratePerSecond <= 0) {
      LOG.info("Scheduler started: rate is 0, no execution will be scheduled");
      return;
    }
    long periodNanos = Math.max(1, Math.round(1_000_000_000d / ratePerSecond));
    timer.scheduleAtFixedRate(this::schedule, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    LOG.info(
        "Scheduler started: "
            + ratePerSecond
            + " execution(s) of "
            + NAMESPACE
            + "."
            + FLOW_ID
            + " per second");
  }

  @Override
  public ServiceState stop() {
    timer.shutdownNow();
    LOG.info("Scheduler stopped");
    return ServiceState.TERMINATED_GRACEFULLY;
  }

  private void schedule() {
    try {
      executions.create(NAMESPACE, FLOW_ID, durations.next());
    } catch (SQLException | RuntimeException e) {
      // a failed tick is lost, as a trigger evaluation would be; the next tick tries again
      LOG.log(Level.WARNING, "Cannot create a scheduled execution: " + e.getMessage(), e);
    }
  }
}
