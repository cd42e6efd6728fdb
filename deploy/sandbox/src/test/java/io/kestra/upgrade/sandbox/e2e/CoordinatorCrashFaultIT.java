package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault family "a coordinator that can die at any instant": the coordinator process is killed
 * with SIGKILL in the middle of each phase of one upgrade and started again at once; the upgrade
 * completes, and no server is stopped, migrated, backed up or started twice.
 */
class CoordinatorCrashFaultIT {

  private static final List<String> PHASES =
      List.of("QUIESCE", "DRAIN", "BACKUP", "MIGRATE", "START");

  private static Scenario scenario;

  @BeforeAll
  static void start() throws Exception {
    scenario = Scenario.start("crash", new Scenario.Kafka(TestKafka.bootstrapServers(), Map.of()));
  }

  @AfterEach
  void stopFleets() throws Exception {
    scenario.closeFleets();
  }

  @AfterAll
  static void stop() throws Exception {
    if (scenario != null) {
      scenario.close();
    }
  }

  private record Kill(String phase, Instant at) {}

  @Test
  void killedInEachPhaseAndRestartedAtOnceTheUpgradeCompletesAndNothingRunsTwice()
      throws Exception {
    // each phase lasts long enough to be caught in flight: a long task drains, pg_dump, the
    // migration and every start take seconds
    AgentFleet fleet =
        scenario
            .fleet("phases")
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("scheduler", "scheduler-1", "")
            .server("worker", "worker-1", "", "-t", "2")
            .server("webserver", "webserver-1", "")
            .slowPgDump(Duration.ofSeconds(3));
    for (String instance : fleet.instances()) {
      fleet.javaOpts(instance, "-Dkestra.sim.startup-delay=3s -Dkestra.sim.migration-duration=4s");
    }
    fleet.start(AgentFleet.VERSIONS);
    scenario.awaitReady(fleet);
    scenario.startLongTask(fleet, Duration.ofSeconds(15));
    CoordinatorProcess coordinator = scenario.coordinator();

    String id = scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S");
    List<Kill> kills = new ArrayList<>();
    for (String phase : PHASES) {
      scenario.awaitPhaseInFlight(id, phase);
      kills.add(new Kill(phase, Instant.now()));
      coordinator.kill();
      coordinator.start();
    }
    JsonNode upgrade = scenario.awaitEnd(id);

    long lost = scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
    assertThat(Journals.receivedTypes(fleet.stateDir("worker-1")))
        .as("worker-1 received each command once")
        .containsExactly("PREPARE", "STOP", "START", "PING", "FINALIZE");
    assertThat(Journals.receivedTypes(fleet.stateDir("executor-1")))
        .containsExactly("PREPARE", "STOP", "BACKUP", "MIGRATE", "START", "PING", "FINALIZE");
    assertThat(fleet.pgDumpRuns()).as("pg_dump runs").isEqualTo(1);
    assertThat(
            fleet.count(
                "SELECT count(*) FROM flyway_schema_history WHERE version IN ('4','5') AND success"))
        .as("migrations applied")
        .isEqualTo(2);
    for (Kill kill : kills) {
      Duration recovery =
          Duration.between(kill.at(), scenario.db.firstEventAfter(id, kill.at()).orElseThrow());
      FaultReport.add(
          new FaultReport.Row(
              "coordinator",
              "SIGKILL coordinator, restarted at once",
              kill.phase(),
              upgrade.path("state").asText(),
              recovery,
              lost,
              "CoordinatorCrashFaultIT"));
    }
  }
}
