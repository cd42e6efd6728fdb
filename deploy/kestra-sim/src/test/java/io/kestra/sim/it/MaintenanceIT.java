package io.kestra.sim.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enterprise maintenance mode on the stand-in: switched through the API with the basic-auth
 * credentials, kept in the database; while on, the executor starts no new execution (they queue)
 * and the API still accepts them.
 */
class MaintenanceIT {

  private static final String STATUS = "/api/v1/instance/maintenance/status";

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
            SimFleet.props(
                "kestra.sim.scheduler.rate", "0",
                "kestra.server.basic-auth.enabled", "true",
                "kestra.server.basic-auth.username", "admin@kestra.io",
                "kestra.server.basic-auth.password", "Secret1234"),
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
  void newExecutionsQueueInMaintenanceModeAndStartOnceItIsExited() throws Exception {
    assertThat(status().path("status").asText()).isEqualTo("operational");
    assertThat(status().get("maintenanceDetails").isNull()).isTrue();
    assertThat(Http.post(standalone.apiPort, "/api/v1/instance/maintenance/enter").status())
        .as("without credentials")
        .isEqualTo(401);
    assertThat(
            Http.post(
                    standalone.apiPort,
                    "/api/v1/instance/maintenance/enter",
                    "admin@kestra.io",
                    "no")
                .status())
        .as("with a wrong password")
        .isEqualTo(401);

    Http.Response entered =
        Http.post(
            standalone.apiPort,
            "/api/v1/instance/maintenance/enter",
            "admin@kestra.io",
            "Secret1234");
    assertThat(entered.status()).isEqualTo(200);
    assertThat(entered.json().path("status").asText()).isEqualTo("maintenance");

    String id =
        Http.post(standalone.apiPort, "/api/v1/executions/sim.test/queued?taskDuration=100")
            .json()
            .get("id")
            .asText();
    Thread.sleep(1_000); // ten times the executor's poll
    assertThat(state(id)).as("queued, not started").isEqualTo("CREATED");
    assertThat(status().path("maintenanceDetails").path("queuedExecutions").asLong()).isEqualTo(1);

    Http.Response exited =
        Http.post(
            standalone.apiPort,
            "/api/v1/instance/maintenance/exit",
            "admin@kestra.io",
            "Secret1234");
    assertThat(exited.json().path("status").asText()).isEqualTo("operational");
    // no worker: the executor gives it its task run, which nothing runs
    await("the queued execution started")
        .atMost(Duration.ofSeconds(10))
        .until(() -> state(id).equals("RUNNING"));
  }

  private JsonNode status() throws Exception {
    Http.Response r = Http.get(standalone.apiPort, STATUS);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private String state(String id) throws Exception {
    return Http.get(standalone.apiPort, "/api/v1/executions/" + id).json().get("state").asText();
  }
}
