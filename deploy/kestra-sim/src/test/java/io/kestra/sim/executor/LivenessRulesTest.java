package io.kestra.sim.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.sim.config.LivenessSettings;
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
      config(Duration.ofMinutes(5), WorkerTaskRestartStrategy.AFTER_TERMINATION_GRACE_PERIOD);

  private static ServiceConfig config(Duration grace, WorkerTaskRestartStrategy strategy) {
    return new ServiceConfig(grace, strategy, liveness(Duration.ZERO));
  }

  private static LivenessSettings liveness(Duration initialDelay) {
    return new LivenessSettings(
        true, Duration.ofSeconds(45), Duration.ofSeconds(5), Duration.ofSeconds(3), initialDelay);
  }

  @Test
  void serviceSilentLongerThanItsTimeoutIsNonResponding() {
    assertThat(LivenessRules.isNonResponding(worker(ServiceState.RUNNING, 46), NOW)).isTrue();
    assertThat(LivenessRules.isNonResponding(worker(ServiceState.TERMINATING, 46), NOW))
        .as(
            "a silent TERMINATING worker is an unclean shutdown, not a disconnection (Kestra's rule)")
        .isFalse();
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
            liveness(Duration.ofMinutes(2)));
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
  void serviceThatPublishedLivenessDisabledIsNeverNonResponding() {
    ServiceConfig disabled =
        new ServiceConfig(
            CONFIG.terminationGracePeriod(),
            CONFIG.restartStrategy(),
            new LivenessSettings(
                false,
                Duration.ofSeconds(45),
                Duration.ofSeconds(5),
                Duration.ofSeconds(3),
                Duration.ZERO));
    ServiceInstance silent =
        new ServiceInstance(
            "w",
            ServiceType.WORKER,
            ServiceState.RUNNING,
            "h",
            NOW.minusSeconds(3600),
            NOW.minusSeconds(600),
            disabled);
    assertThat(LivenessRules.isNonResponding(silent, NOW)).isFalse();
  }

  @Test
  void immediateRestartFollowsTheWorkersOwnStrategy() {
    ServiceConfig immediately =
        config(CONFIG.terminationGracePeriod(), WorkerTaskRestartStrategy.IMMEDIATELY);
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
