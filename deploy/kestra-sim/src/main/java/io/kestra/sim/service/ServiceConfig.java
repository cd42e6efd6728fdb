package io.kestra.sim.service;

import io.kestra.sim.config.ServerSettings;
import io.kestra.sim.config.WorkerTaskRestartStrategy;
import java.time.Duration;

/**
 * The settings a service publishes in its {@code service_instance} row: Kestra's coordinator judges
 * a dead service by its own grace period and restart strategy, not by the coordinator's.
 *
 * @param terminationGracePeriod {@code kestra.server.terminationGracePeriod}
 * @param restartStrategy {@code kestra.server.workerTaskRestartStrategy}
 * @param livenessTimeout {@code kestra.server.liveness.timeout}
 * @param initialDelay {@code kestra.server.liveness.initialDelay}
 */
public record ServiceConfig(
    Duration terminationGracePeriod,
    WorkerTaskRestartStrategy restartStrategy,
    Duration livenessTimeout,
    Duration initialDelay) {

  /** The published part of a server's settings. */
  public static ServiceConfig of(ServerSettings s) {
    return new ServiceConfig(
        s.terminationGracePeriod(),
        s.workerTaskRestartStrategy(),
        s.liveness().timeout(),
        s.liveness().initialDelay());
  }
}
