package io.kestra.sim.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up, readiness gating, start-up failures and the fault switches, on real processes. */
class FaultsIT {

  @TempDir Path dir;
  private SimFleet fleet;

  @BeforeEach
  void setUp() {
    fleet = new SimFleet(dir);
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  @Test
  void readinessWaitsForTheStartupDelayWhileLivenessIsUp() {
    long launched = System.nanoTime();
    // long enough that a JVM started on a busy machine is alive well before it ends
    SimProcess indexer =
        fleet.start(
            "indexer",
            "0.22.1",
            SimFleet.props("kestra.sim.startup-delay", "6s"),
            "server",
            "indexer");
    AtomicBoolean aliveButNotReady = new AtomicBoolean();
    AtomicLong readyAfterNanos = new AtomicLong();
    await("readiness")
        .atMost(SimFleet.START_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              int live = Http.status(indexer.managementPort, "/health/liveness");
              int ready = Http.status(indexer.managementPort, "/health/readiness");
              if (live == 200 && ready == 503) {
                aliveButNotReady.set(true);
              }
              readyAfterNanos.set(System.nanoTime() - launched);
              return ready == 200;
            });

    assertThat(aliveButNotReady).as("liveness UP while readiness was DOWN").isTrue();
    assertThat(Duration.ofNanos(readyAfterNanos.get()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void shutdownHangKeepsTheProcessAliveAfterSigterm() {
    fleet.faults("shutdown.hang=executor@0.21.4\n");
    SimProcess executor = fleet.start("executor", "0.21.4", Map.of(), "server", "executor");
    SimFleet.awaitReady(executor);

    executor.sigterm();

    await("hook entered")
        .atMost(Duration.ofSeconds(5))
        .until(() -> executor.printed("Receiving shutdown ! Try to graceful exit"));
    await("still alive and serving")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                executor.isAlive()
                    && Http.status(executor.managementPort, "/health/liveness") == 200);
    executor.sigkill();
    assertThat(executor.awaitExit(Duration.ofSeconds(5))).isEqualTo(137);
  }

  @Test
  void startupCrashEndsTheSelectedKindWithExitCodeOneBeforeReadiness() {
    fleet.faults("startup.crash=worker\n");
    SimProcess worker = fleet.start("worker", "1.0.0", Map.of(), "server", "worker");

    assertThat(worker.awaitExit(SimFleet.START_TIMEOUT)).isEqualTo(1);
    assertThat(worker.output()).contains("simulated crash").doesNotContain("Readiness is UP");

    SimProcess executor = fleet.start("executor", "1.0.0", Map.of(), "server", "executor");
    SimFleet.awaitReady(executor);
  }

  @Test
  void readinessNeverUpIsReadAtEachProbe() {
    fleet.faults("readiness.never-up=0.21.4\n");
    SimProcess scheduler =
        fleet.start(
            "scheduler",
            "0.21.4",
            SimFleet.props("kestra.sim.scheduler.rate", "0"),
            "server",
            "scheduler");
    await("started")
        .atMost(SimFleet.START_TIMEOUT)
        .until(() -> scheduler.printed("Readiness stays DOWN"));
    assertThat(Http.status(scheduler.managementPort, "/health/readiness")).isEqualTo(503);
    assertThat(Http.status(scheduler.managementPort, "/health")).isEqualTo(503);
    assertThat(Http.status(scheduler.managementPort, "/health/liveness")).isEqualTo(200);

    fleet.faults("");

    SimFleet.awaitReady(scheduler);
    assertThat(Http.status(scheduler.managementPort, "/health")).isEqualTo(200);
  }

  @Test
  void takenManagementPortEndsTheStartWithAClearError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      SimProcess indexer =
          fleet.start(
              "indexer",
              "1.0.0",
              SimFleet.props("endpoints.all.port", Integer.toString(taken.getLocalPort())),
              "server",
              "indexer");

      assertThat(indexer.awaitExit(SimFleet.START_TIMEOUT)).isEqualTo(1);
      assertThat(indexer.output())
          .contains(
              "Unable to start Micronaut server on *:"
                  + taken.getLocalPort()
                  + " (management): Address already in use");
    }
  }

  @Test
  void aTakenApiPortEndsTheStartOfAnyServerKind() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      SimProcess scheduler =
          fleet.start(
              "scheduler",
              "0.21.4",
              Map.of(),
              "server",
              "scheduler",
              "--port",
              Integer.toString(taken.getLocalPort()));

      assertThat(scheduler.awaitExit(SimFleet.START_TIMEOUT)).isEqualTo(1);
      assertThat(scheduler.output())
          .contains(
              "Unable to start Micronaut server on *:"
                  + taken.getLocalPort()
                  + " (api): Address already in use");
    }
  }

  @Test
  void versionIsPrintedByAnyCommand() {
    SimProcess version = fleet.start("version", "0.22.1", Map.of(), "server", "--version");
    assertThat(version.awaitExit(Duration.ofSeconds(20))).isZero();
    assertThat(version.output().strip()).isEqualTo("0.22.1");
  }
}
