package io.kestra.sim.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/sim/stats} and the executions API against the database they count. */
class StatsIT {

  @TempDir Path dir;
  private SimFleet fleet;
  private SimProcess standalone;

  @BeforeEach
  void setUp() {
    fleet = new SimFleet(dir);
    standalone =
        fleet.start(
            "standalone",
            "1.0.0",
            SimFleet.props("kestra.sim.scheduler.rate", "0"),
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
  void statsCountCreatedPendingCompletedAndLostExecutions() throws Exception {
    Instant beforeAll = Instant.now().minusSeconds(1);
    for (int i = 0; i < 3; i++) {
      assertThat(post("/api/v1/executions/sim.test/short?taskDuration=100").status())
          .isEqualTo(200);
    }
    Instant afterAll = Instant.now().plusSeconds(1);

    JsonNode pending = stats("?createdBefore=" + afterAll);
    assertThat(pending.get("created").asLong()).isEqualTo(3);
    assertThat(pending.get("running").asLong()).isEqualTo(3);
    assertThat(pending.get("completed").asLong()).isZero();
    assertThat(pending.get("pendingBefore").asLong()).isEqualTo(3);
    assertThat(stats("?createdBefore=" + beforeAll).get("pendingBefore").asLong()).isZero();
    assertThat(stats("").has("pendingBefore")).isFalse();

    fleet.start("worker", "1.0.0", Map.of(), "server", "worker", "-t", "2");
    await("all completed")
        .atMost(Duration.ofSeconds(30))
        .until(() -> stats("").get("completed").asLong() == 3);
    JsonNode done = stats("?createdBefore=" + afterAll);
    assertThat(done.get("running").asLong()).isZero();
    assertThat(done.get("pendingBefore").asLong()).isZero();
    assertThat(done.get("lost").asLong()).isZero();
    assertThat(done.get("forced").asLong()).isZero();
    assertThat(done.get("resubmitted").asLong()).isZero();

    // a RUNNING task run that no worker holds: nothing will ever complete it
    fleet.execute(
        "INSERT INTO executions (id, namespace, flow_id, task_duration_ms, state)"
            + " VALUES ('orphan', 'sim.test', 'orphan', 1, 'RUNNING');"
            + " INSERT INTO task_runs (id, execution_id, state, duration_ms, value)"
            + " VALUES ('orphan-run', 'orphan', 'RUNNING', 1, '{}')");
    JsonNode lost = stats("");
    assertThat(lost.get("lost").asLong()).isEqualTo(1);
    assertThat(lost.get("running").asLong()).isEqualTo(1);
  }

  @Test
  void executionsApiAnswersKestraStyle() throws Exception {
    Http.Response created = post("/api/v1/executions/sim.test/hello");
    assertThat(created.status()).isEqualTo(200);
    JsonNode json = created.json();
    assertThat(json.get("namespace").asText()).isEqualTo("sim.test");
    assertThat(json.get("flowId").asText()).isEqualTo("hello");
    assertThat(json.get("taskDurationMs").asLong()).isBetween(200L, 2000L);

    Http.Response read =
        Http.get(standalone.apiPort, "/api/v1/executions/" + json.get("id").asText());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("state").asText()).isIn("CREATED", "RUNNING");
    assertThat(Http.get(standalone.apiPort, "/api/v1/executions/nope").status()).isEqualTo(404);
    assertThat(post("/api/v1/executions/sim.test/hello?taskDuration=soon").status()).isEqualTo(400);
    JsonNode search = Http.get(standalone.apiPort, "/api/v1/executions/search").json();
    assertThat(search.get("total").asLong()).isEqualTo(1);
    assertThat(search.get("results").get(0).get("id").asText()).isEqualTo(json.get("id").asText());
  }

  private Http.Response post(String path) throws Exception {
    return Http.post(standalone.apiPort, path);
  }

  private JsonNode stats(String query) throws Exception {
    Http.Response r = Http.get(standalone.apiPort, "/api/v1/sim/stats" + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }
}
