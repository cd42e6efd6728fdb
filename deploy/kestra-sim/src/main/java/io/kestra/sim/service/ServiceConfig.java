package io.kestra.sim.service;

import io.kestra.sim.config.LivenessSettings;
import io.kestra.sim.config.ServerSettings;
import io.kestra.sim.config.WorkerTaskRestartStrategy;
import java.time.Duration;

/**
 * The settings a service publishes in its {@code service_instance} row (Kestra's {@code
 * ServerConfig}): Kestra's coordinator judges a dead service by its own grace period, restart
 * strategy and liveness settings, not by the coordinator's.
 *
 * @param terminationGracePeriod {@code kestra.server.terminationGracePeriod}
 * @param restartStrategy {@code kestra.server.workerTaskRestartStrategy}
 * @param liveness {@code kestra.server.liveness.*}
 */
public record ServiceConfig(
    Duration terminationGracePeriod,
    WorkerTaskRestartStrategy restartStrategy,
    LivenessSettings liveness) {

  /** The published part of a server's settings. */
  public static ServiceConfig of(ServerSettings s) {
    return new ServiceConfig(
        s.terminationGracePeriod(), s.workerTaskRestartStrategy(), s.liveness());
  }

  /** {@code kestra.server.liveness.timeout}. */
  public Duration livenessTimeout() {
    return liveness.timeout();
  }

  /** {@code kestra.server.liveness.initialDelay}. */
  public Duration initialDelay() {
    return liveness.initialDelay();
  }
}
