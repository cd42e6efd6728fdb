package io.kestra.sim.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server the liveness coordinator evicts terminates itself, as Kestra's do. */
class EvictionIT {

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
  void aFrozenWorkerEvictedByTheCoordinatorTerminatesItselfAndExitsZero() throws Exception {
    var liveness =
        SimFleet.props(
            "kestra.sim.scheduler.rate", "0",
            "kestra.server.liveness.interval", "300ms",
            "kestra.server.liveness.heartbeatInterval", "300ms",
            "kestra.server.liveness.timeout", "2s");
    SimProcess coordinator = fleet.start("executor", "0.22.1", liveness, "server", "executor");
    SimFleet.awaitReady(coordinator);
    SimProcess worker = fleet.start("worker", "0.22.1", liveness, "server", "worker", "-t", "1");
    SimFleet.awaitReady(worker);

    signal("STOP", worker);
    try {
      await("evicted while frozen")
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  "DISCONNECTED"
                      .equals(
                          fleet.queryOne(
                              "SELECT state FROM service_instance WHERE service_type = 'WORKER'")));
    } finally {
      signal("CONT", worker);
    }

    assertThat(worker.awaitExit(Duration.ofSeconds(20)))
        .as("App calls System.exit(0) once the server terminated itself: " + worker.output())
        .isZero();
    assertThat(worker.output())
        .contains("Terminating server.")
        .contains("Receiving shutdown ! Try to graceful exit");
    assertThat(coordinator.isAlive()).isTrue();
  }

  private static void signal(String signal, SimProcess p) throws IOException, InterruptedException {
    int code = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
    assertThat(code).as("kill -" + signal).isZero();
  }
}
