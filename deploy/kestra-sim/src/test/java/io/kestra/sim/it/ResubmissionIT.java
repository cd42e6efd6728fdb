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
  }

  /** The coordinator of the test: a standalone of {@code version} without worker threads. */
  private void coordinator(String version) {
    standalone =
        fleet.start(
            "standalone",
            version,
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

  /**
   * A worker of {@code version} with a {@code grace} grace period, busy with a task run of {@code
   * taskDuration} (longer than the grace period), is stopped: it forces its task run and exits 143.
   * Returns it once it has exited.
   */
  private SimProcess forcedWorker(String version, String grace, String taskDuration)
      throws Exception {
    SimProcess worker =
        fleet.start(
            "worker-1",
            version,
            // a heartbeat well within the grace period: a draining worker silent for longer than
            // its
            // grace period is an unclean one, which the coordinator (every 300 ms) would re-emit
            // before the worker counts what it forced (as Kestra's would: grace < heartbeat races)
            SimFleet.props(
                "kestra.server.terminationGracePeriod",
                grace,
                "kestra.server.liveness.heartbeatInterval",
                "200ms"),
            "server",
            "worker",
            "-t",
            "1");
    SimFleet.awaitReady(worker);
    createExecution(taskDuration);
    awaitRunningOn(worker);

    worker.sigterm();

    assertThat(worker.awaitExit(Duration.ofSeconds(20))).as(worker.output()).isEqualTo(143);
    assertThat(SimFleet.stats(standalone).get("forced").asLong()).isEqualTo(1);
    assertThat(fleet.queryOne("SELECT state FROM service_instance WHERE service_type = 'WORKER'"))
        .isIn("TERMINATED_FORCED", "NOT_RUNNING", "EMPTY");
    return worker;
  }

  @Test
  void on021AForcedWorkersTaskIsResubmittedAtOnce() throws Exception {
    coordinator("0.21.4");
    SimProcess worker = forcedWorker("0.21.4", "6s", "PT30S");
    assertThat(worker.output())
        .contains("Receiving shutdown ! Try to graceful exit")
        .contains("Waiting for all worker threads to terminate (remaining: 1).")
        .contains(
            "Worker still has some pending threads after `terminationGracePeriod`. Forcing"
                + " shutdown now.");

    await("re-emitted by the next coordinator runs, well within the worker's grace period")
        .atMost(Duration.ofSeconds(4))
        .until(() -> SimFleet.stats(standalone).get("resubmitted").asLong() == 1);
    assertThat(fleet.queryOne("SELECT state || ':' || attempt FROM task_runs"))
        .isEqualTo("CREATED:2");
  }

  @Test
  void from022AForcedWorkersTaskIsResubmittedOnlyAfterItsGracePeriod() throws Exception {
    coordinator("0.22.1");
    forcedWorker("0.22.1", "6s", "PT30S");
    long forcedAt = System.nanoTime();

    await("kept for the grace period: results may still be in flight (Kestra PR #9102)")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(4))
        .until(() -> SimFleet.stats(standalone).get("resubmitted").asLong() == 0);
    await("re-emitted once the grace period has passed")
        .atMost(Duration.ofSeconds(15))
        .until(() -> SimFleet.stats(standalone).get("resubmitted").asLong() == 1);
    assertThat(Duration.ofNanos(System.nanoTime() - forcedAt)).isGreaterThan(Duration.ofSeconds(5));
    assertThat(fleet.queryOne("SELECT state || ':' || attempt FROM task_runs"))
        .isEqualTo("CREATED:2");
    assertThat(SimFleet.stats(standalone).get("lost").asLong()).isZero();
  }

  @Test
  void on20TheWorkerModuleLogsItsOwnShutdownLinesAndTheTaskComesBackToTheNextWorker()
      throws Exception {
    coordinator("2.0.0");
    SimProcess worker = forcedWorker("2.0.0", "1s", "PT5S");
    assertThat(worker.output())
        .contains("Waiting for all worker job to terminate (remaining: 1).")
        .contains(
            "Worker still has pending jobs after the termination grace period. Forcing"
                + " shutdown.")
        .doesNotContain("Waiting for all worker threads");
    await("re-emitted after the grace period")
        .atMost(Duration.ofSeconds(15))
        .until(() -> SimFleet.stats(standalone).get("resubmitted").asLong() == 1);

    String id = fleet.queryOne("SELECT execution_id FROM task_runs");
    SimProcess next = fleet.start("worker-2", "2.0.0", Map.of(), "server", "worker", "-t", "1");
    await("completed by the next worker")
        .atMost(Duration.ofSeconds(60))
        .until(() -> executionState(id).equals("SUCCESS"));
    next.sigterm();
    assertThat(next.awaitExit(Duration.ofSeconds(15))).isEqualTo(143);
  }

  @Test
  void killedWorkerIsDisconnectedAndItsTaskComesBackAfterTimeoutPlusGrace() throws Exception {
    coordinator("0.22.1");
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
