package io.kestra.sim.config;

import java.time.Duration;

/**
 * Kestra's {@code kestra.server.*} settings that shape shutdown and liveness.
 *
 * @param terminationGracePeriod how long a stopping worker waits for its task runs (5m)
 * @param workerTaskRestartStrategy when a dead worker's task runs are re-emitted
 * @param liveness heartbeat and coordinator timings
 * @param basicAuth the API's credentials
 */
public record ServerSettings(
    Duration terminationGracePeriod,
    WorkerTaskRestartStrategy workerTaskRestartStrategy,
    LivenessSettings liveness,
    BasicAuthSettings basicAuth) {

  static ServerSettings from(SimConfig c) {
    return new ServerSettings(
        c.duration("kestra.server.terminationGracePeriod", Duration.ofMinutes(5)),
        c.enumeration(
            "kestra.server.workerTaskRestartStrategy",
            WorkerTaskRestartStrategy.class,
            WorkerTaskRestartStrategy.AFTER_TERMINATION_GRACE_PERIOD),
        LivenessSettings.from(c),
        BasicAuthSettings.from(c));
  }
}
