package io.kestra.sim.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fleets of real simulated servers sharing one real database. */
class FleetIT {

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
  void fleetOnOneVersionRunsExecutionsToCompletionAndStopsGracefully() throws Exception {
    Map<String, String> fast =
        SimFleet.props(
            "kestra.sim.scheduler.rate", "5",
            "kestra.sim.task.min-duration", "50ms",
            "kestra.sim.task.max-duration", "300ms");
    fleet.migrate("0.21.4");
    SimProcess executor = fleet.start("executor", "0.21.4", fast, "server", "executor");
    SimProcess worker = fleet.start("worker", "0.21.4", fast, "server", "worker", "-t", "4");
    SimProcess scheduler = fleet.start("scheduler", "0.21.4", fast, "server", "scheduler");
    SimProcess webserver = fleet.start("webserver", "0.21.4", fast, "server", "webserver");
    List<SimProcess> all = List.of(executor, worker, scheduler, webserver);
    all.forEach(SimFleet::awaitReady);

    JsonNode created =
        Http.post(webserver.apiPort, "/api/v1/executions/sim.test/manual?taskDuration=PT0.2S")
            .json();
    assertThat(created.get("state").asText()).isEqualTo("CREATED");
    assertThat(created.get("taskDurationMs").asLong()).isEqualTo(200);
    String id = created.get("id").asText();
    await("manual execution completes")
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Http.get(webserver.apiPort, "/api/v1/executions/" + id)
                    .json()
                    .get("state")
                    .asText(),
            "SUCCESS"::equals);
    await("scheduled executions complete")
        .atMost(Duration.ofSeconds(30))
        .until(() -> SimFleet.stats(webserver).get("completed").asLong() >= 10);

    JsonNode search = Http.get(webserver.apiPort, "/api/v1/executions/search?size=3").json();
    assertThat(search.get("total").asLong()).isGreaterThanOrEqualTo(11);
    assertThat(search.get("results")).hasSize(3);
    assertThat(Http.get(worker.managementPort, "/prometheus").body())
        .contains("kestra_worker_running_count ")
        .contains("kestra_sim_info{version=\"0.21.4\",server_type=\"worker\"} 1.0");
    assertThat(
            fleet.queryOne(
                "SELECT string_agg(service_type, ',' ORDER BY service_type) FROM service_instance"
                    + " WHERE state = 'RUNNING'"))
        .as("the webserver runs its embedded indexer")
        .isEqualTo("EXECUTOR,INDEXER,SCHEDULER,WEBSERVER,WORKER");

    for (SimProcess p : List.of(scheduler, webserver, executor, worker)) {
      p.sigterm();
      assertThat(p.awaitExit(Duration.ofSeconds(20)))
          .as("a JVM ended by SIGTERM: " + p.output())
          .isEqualTo(143);
      assertThat(p.output()).contains("Receiving shutdown ! Try to graceful exit");
    }
    assertThat(
            fleet.queryOne(
                "SELECT count(*) FROM service_instance WHERE state = 'TERMINATED_GRACEFULLY'"))
        .isEqualTo("5");
    assertThat(fleet.queryOne("SELECT count(*) FROM worker_job_running")).isEqualTo("0");
    assertThat(
            fleet.queryOne(
                "SELECT count(*) FROM task_runs WHERE state = 'RUNNING' OR state = 'CREATED'"))
        .as("the graceful worker finished everything it claimed, nothing was left to claim")
        .isEqualTo("0");
  }

  @Test
  void everyServerServesItsApiPortButOnlyAWebserverHasTheApi() throws Exception {
    fleet.migrate("1.0.0");
    SimProcess executor = fleet.start("executor", "1.0.0", Map.of(), "server", "executor");
    SimProcess webserver =
        fleet.start("webserver", "1.0.0", Map.of(), "server", "webserver", "--no-indexer");
    SimFleet.awaitReady(executor);
    SimFleet.awaitReady(webserver);

    Http.Response notFound = Http.get(executor.apiPort, "/api/v1/executions/search");
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.json().get("message").asText()).isEqualTo("Not Found");
    assertThat(notFound.json().at("/_embedded/errors/0/message").asText())
        .isEqualTo("Page Not Found");
    assertThat(Http.get(webserver.apiPort, "/api/v1/executions/search").status()).isEqualTo(200);
    assertThat(Http.get(webserver.apiPort, "/api/v1/nothing-here").status()).isEqualTo(404);
    assertThat(executor.output())
        .contains("Server Running: http://")
        .contains(":" + executor.apiPort + ", Management server on port http://")
        .contains(":" + executor.managementPort + "/health");
    assertThat(
            fleet.queryOne(
                "SELECT string_agg(service_type, ',' ORDER BY service_type) FROM service_instance"))
        .as("--no-indexer: no embedded indexer")
        .isEqualTo("EXECUTOR,WEBSERVER");
  }

  @Test
  void healthIsMicronautsAggregateBody() throws Exception {
    SimProcess indexer = fleet.start("indexer", "0.22.1", Map.of(), "server", "indexer");
    SimFleet.awaitReady(indexer);

    JsonNode health = Http.get(indexer.managementPort, "/health").json();
    assertThat(health.get("name").asText()).isEqualTo("kestra");
    assertThat(health.get("status").asText()).isEqualTo("UP");
    assertThat(health.at("/details/service/status").asText()).isEqualTo("UP");
    assertThat(health.at("/details/jdbc/status").asText()).isEqualTo("UP");
    assertThat(health.at("/details/diskSpace/details/threshold").asLong()).isEqualTo(10485760);
    JsonNode readiness = Http.get(indexer.managementPort, "/health/readiness").json();
    assertThat(readiness.get("status").asText()).isEqualTo("UP");
    assertThat(readiness.at("/details/service/name").asText()).isEqualTo("kestra");

    indexer.sigterm();
    await("readiness DOWN while stopping, or the port closed")
        .atMost(Duration.ofSeconds(10))
        .until(() -> Http.status(indexer.managementPort, "/health/readiness") != 200);
    assertThat(indexer.awaitExit(Duration.ofSeconds(20))).isEqualTo(143);
  }

  @Test
  void stoppingStandaloneDrainsItsWorkerWithApiAndReadinessDown() throws Exception {
    SimProcess standalone =
        fleet.start(
            "standalone",
            "1.0.0",
            SimFleet.props(
                "kestra.sim.scheduler.rate", "0", "kestra.server.terminationGracePeriod", "20s"),
            "server",
            "standalone",
            "--worker-thread",
            "2");
    SimFleet.awaitReady(standalone);
    Http.post(standalone.apiPort, "/api/v1/executions/sim.test/long?taskDuration=PT3S");
    await("task run running")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Http.get(standalone.managementPort, "/prometheus")
                    .body()
                    .contains("kestra_worker_running_count 1.0"));

    standalone.sigterm();

    await("draining")
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> standalone.printed("Waiting for all worker threads to terminate (remaining: 1)"));
    assertThat(Http.status(standalone.managementPort, "/health/readiness")).isEqualTo(503);
    assertThat(Http.status(standalone.managementPort, "/health/liveness")).isEqualTo(200);
    assertThat(Http.status(standalone.apiPort, "/api/v1/executions/search"))
        .as("the API is down during shutdown")
        .isEqualTo(-1);
    assertThat(standalone.awaitExit(Duration.ofSeconds(20))).as(standalone.output()).isEqualTo(143);
    assertThat(standalone.output()).doesNotContain("Forcing shutdown now");
    assertThat(fleet.queryOne("SELECT state FROM task_runs")).isEqualTo("SUCCESS");
    assertThat(fleet.queryOne("SELECT state FROM service_instance WHERE service_type = 'WORKER'"))
        .isEqualTo("TERMINATED_GRACEFULLY");
    assertThat(
            fleet.queryOne(
                "SELECT count(*) FROM service_instance WHERE state <> 'TERMINATED_GRACEFULLY'"))
        .isEqualTo("0");
  }
}
