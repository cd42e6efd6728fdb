package io.kestra.sim.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.sim.config.WorkerTaskRestartStrategy;
import io.kestra.sim.service.ServiceConfig;
import io.kestra.sim.service.ServiceInstance;
import io.kestra.sim.service.ServiceState;
import io.kestra.sim.service.ServiceType;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LivenessRulesTest {

  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
  private static final ServiceConfig CONFIG =
      new ServiceConfig(
          Duration.ofMinutes(5),
          WorkerTaskRestartStrategy.AFTER_TERMINATION_GRACE_PERIOD,
          Duration.ofSeconds(45),
          Duration.ZERO);

  @Test
  void serviceSilentLongerThanItsTimeoutIsNonResponding() {
    assertThat(LivenessRules.isNonResponding(worker(ServiceState.RUNNING, 46), NOW)).isTrue();
    assertThat(LivenessRules.isNonResponding(worker(ServiceState.TERMINATING, 46), NOW)).isTrue();
    assertThat(LivenessRules.isNonResponding(worker(ServiceState.RUNNING, 44), NOW)).isFalse();
    assertThat(LivenessRules.isNonResponding(worker(ServiceState.DISCONNECTED, 600), NOW))
        .as("already handled")
        .isFalse();
    assertThat(LivenessRules.isNonResponding(worker(ServiceState.TERMINATED_GRACEFULLY, 600), NOW))
        .isFalse();
  }

  @Test
  void youngServiceIsNotProbedBeforeItsInitialDelay() {
    ServiceConfig delayed =
        new ServiceConfig(
            CONFIG.terminationGracePeriod(),
            CONFIG.restartStrategy(),
            CONFIG.livenessTimeout(),
            Duration.ofMinutes(2));
    ServiceInstance young =
        new ServiceInstance(
            "w",
            ServiceType.WORKER,
            ServiceState.RUNNING,
            "h",
            NOW.minusSeconds(60),
            NOW.minusSeconds(50),
            delayed);
    assertThat(LivenessRules.isNonResponding(young, NOW)).isFalse();
  }

  @Test
  void forcedWorkerIsUncleanAtOnceOn021() {
    assertThat(LivenessRules.isUncleanWorker(worker(ServiceState.TERMINATED_FORCED, 0), NOW, true))
        .isTrue();
  }

  @Test
  void forcedWorkerIsUncleanOnlyAfterItsGracePeriodFrom022() {
    assertThat(LivenessRules.isUncleanWorker(worker(ServiceState.TERMINATED_FORCED, 0), NOW, false))
        .isFalse();
    assertThat(
            LivenessRules.isUncleanWorker(worker(ServiceState.TERMINATED_FORCED, 299), NOW, false))
        .isFalse();
    assertThat(
            LivenessRules.isUncleanWorker(worker(ServiceState.TERMINATED_FORCED, 301), NOW, false))
        .isTrue();
  }

  @Test
  void disconnectedWorkerIsUncleanOnlyAfterItsGracePeriod() {
    for (boolean forcedAtOnce : new boolean[] {true, false}) {
      assertThat(
              LivenessRules.isUncleanWorker(
                  worker(ServiceState.DISCONNECTED, 299), NOW, forcedAtOnce))
          .isFalse();
      assertThat(
              LivenessRules.isUncleanWorker(
                  worker(ServiceState.DISCONNECTED, 301), NOW, forcedAtOnce))
          .isTrue();
      assertThat(
              LivenessRules.isUncleanWorker(
                  worker(ServiceState.TERMINATING, 301), NOW, forcedAtOnce))
          .isTrue();
    }
  }

  @Test
  void gracefulWorkersAndOtherTypesAreNeverUnclean() {
    assertThat(
            LivenessRules.isUncleanWorker(
                worker(ServiceState.TERMINATED_GRACEFULLY, 900), NOW, true))
        .isFalse();
    ServiceInstance executor =
        new ServiceInstance(
            "e",
            ServiceType.EXECUTOR,
            ServiceState.TERMINATED_FORCED,
            "h",
            NOW.minusSeconds(900),
            NOW.minusSeconds(900),
            CONFIG);
    assertThat(LivenessRules.isUncleanWorker(executor, NOW, true)).isFalse();
  }

  @Test
  void immediateRestartFollowsTheWorkersOwnStrategy() {
    ServiceConfig immediately =
        new ServiceConfig(
            CONFIG.terminationGracePeriod(),
            WorkerTaskRestartStrategy.IMMEDIATELY,
            CONFIG.livenessTimeout(),
            Duration.ZERO);
    ServiceInstance w =
        new ServiceInstance(
            "w", ServiceType.WORKER, ServiceState.RUNNING, "h", NOW, NOW, immediately);
    assertThat(LivenessRules.restartsImmediately(w)).isTrue();
    assertThat(LivenessRules.restartsImmediately(worker(ServiceState.RUNNING, 0))).isFalse();
  }

  private static ServiceInstance worker(ServiceState state, long silentSeconds) {
    return new ServiceInstance(
        "w",
        ServiceType.WORKER,
        state,
        "host",
        NOW.minusSeconds(3600),
        NOW.minusSeconds(silentSeconds),
        CONFIG);
  }
}
