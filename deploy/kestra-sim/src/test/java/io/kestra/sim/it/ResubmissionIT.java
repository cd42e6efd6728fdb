package io.kestra.sim.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers that do not finish their task runs, and the executor's liveness coordinator bringing
 * those runs back: a standalone without worker threads plays executor and webserver.
 */
class ResubmissionIT {

  @TempDir Path dir;
  private SimFleet fleet;
  private SimProcess standalone;

  @BeforeEach
  void setUp() {
    fleet = new SimFleet(dir);
    standalone =
        fleet.start(
            "standalone",
            "0.22.1",
            SimFleet.props(
                "kestra.sim.scheduler.rate", "0",
                "kestra.server.liveness.interval", "300ms",
                "kestra.server.liveness.heartbeatInterval", "300ms",
                "kestra.server.liveness.timeout", "2s"),
            "server",
            "standalone",
            "--worker-thread",
            "0");
    SimFleet.awaitReady(standalone);
  }

  @AfterEach
  void tearDown() {
    fleet.close();
  }

  @Test
  void workerStillRunningWhenGraceExpiresIsForcedAndItsTaskIsResubmittedAndCompleted()
      throws Exception {
    SimProcess worker =
        fleet.start(
            "worker-1",
            "0.22.1",
            SimFleet.props("kestra.server.terminationGracePeriod", "1s"),
            "server",
            "worker",
            "-t",
            "1");
    SimFleet.awaitReady(worker);
    String id = createExecution("PT4S");
    awaitRunningOn(worker);

    worker.sigterm();

    assertThat(worker.awaitExit(Duration.ofSeconds(15))).as(worker.output()).isZero();
    assertThat(worker.output())
        .contains("Receiving shutdown ! Try to graceful exit")
        .contains("Waiting for all worker threads to terminate (remaining: 1)")
        .contains("Forcing shutdown now");
    assertThat(SimFleet.stats(standalone).get("forced").asLong()).isEqualTo(1);
    await("re-emitted by the coordinator")
        .atMost(Duration.ofSeconds(10))
        .until(() -> SimFleet.stats(standalone).get("resubmitted").asLong() == 1);
    assertThat(fleet.queryOne("SELECT state || ':' || attempt FROM task_runs"))
        .isEqualTo("CREATED:2");
    assertThat(SimFleet.stats(standalone).get("lost").asLong()).isZero();

    SimProcess next = fleet.start("worker-2", "0.22.1", Map.of(), "server", "worker", "-t", "1");
    await("completed by the next worker")
        .atMost(Duration.ofSeconds(30))
        .until(() -> executionState(id).equals("SUCCESS"));
    assertThat(SimFleet.stats(standalone).get("lost").asLong()).isZero();
    next.sigterm();
    assertThat(next.awaitExit(Duration.ofSeconds(15))).isZero();
  }

  @Test
  void killedWorkerIsDisconnectedAndItsTaskComesBackAfterTimeoutPlusGrace() throws Exception {
    SimProcess worker =
        fleet.start(
            "worker-1",
            "0.22.1",
            SimFleet.props(
                "kestra.server.terminationGracePeriod", "2s",
                "kestra.server.liveness.heartbeatInterval", "300ms",
                "kestra.server.liveness.timeout", "2s"),
            "server",
            "worker",
            "-t",
            "1");
    SimFleet.awaitReady(worker);
    String id = createExecution("PT3S");
    awaitRunningOn(worker);

    worker.sigkill();
    long killedAt = System.nanoTime();
    assertThat(worker.awaitExit(Duration.ofSeconds(5))).isEqualTo(137);

    await("disconnected after the liveness timeout")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "DISCONNECTED"
                    .equals(
                        fleet.queryOne(
                            "SELECT state FROM service_instance WHERE service_type = 'WORKER'")));
    assertThat(SimFleet.stats(standalone).get("resubmitted").asLong())
        .as("not before the grace period")
        .isZero();
    assertThat(SimFleet.stats(standalone).get("lost").asLong())
        .as("held by a disconnected worker: it will come back")
        .isZero();
    await("re-emitted after the grace period")
        .atMost(Duration.ofSeconds(15))
        .until(() -> SimFleet.stats(standalone).get("resubmitted").asLong() == 1);
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
        .as("about liveness timeout + grace period after the last heartbeat")
        .isGreaterThan(Duration.ofMillis(3500));
    assertThat(fleet.queryOne("SELECT state FROM service_instance WHERE service_type = 'WORKER'"))
        .isEqualTo("NOT_RUNNING");
    assertThat(SimFleet.stats(standalone).get("forced").asLong()).isZero();

    fleet.start("worker-2", "0.22.1", Map.of(), "server", "worker", "-t", "1");
    await("completed by the next worker")
        .atMost(Duration.ofSeconds(30))
        .until(() -> executionState(id).equals("SUCCESS"));
  }

  private String createExecution(String taskDuration) throws Exception {
    Http.Response r =
        Http.post(
            standalone.apiPort, "/api/v1/executions/sim.test/long?taskDuration=" + taskDuration);
    assertThat(r.status()).isEqualTo(200);
    return r.json().get("id").asText();
  }

  private String executionState(String id) throws Exception {
    return Http.get(standalone.apiPort, "/api/v1/executions/" + id).json().get("state").asText();
  }

  private static void awaitRunningOn(SimProcess worker) {
    await("task run running on " + worker.name())
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Http.get(worker.managementPort, "/prometheus")
                    .body()
                    .contains("kestra_worker_running_count 1.0"));
  }
}
