package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.testsupport.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The fault family "a failed upgrade never leaves the cluster broken": with the default policy
 * (ROLLBACK), an upgrade that fails after the migration restores the backup taken before it and
 * starts the previous version again; one that fails before starts again what it stopped. The real
 * coordinator, agents, stand-in servers, PostgreSQL tools and Kafka.
 */
class RollbackFaultIT {

  private static Scenario scenario;

  @BeforeAll
  static void start() throws Exception {
    scenario =
        Scenario.start("rollback", new Scenario.Kafka(TestKafka.bootstrapServers(), Map.of()));
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

  @Test
  void aLauncherMissingAfterTheMigrationIsRolledBackByRestoringTheBackupThenUpgradedAgain()
      throws Exception {
    // the migration takes 3 s, as a large database's: a window to act in while it runs
    AgentFleet fleet =
        scenario
            .fleet("restore")
            .agentProcesses()
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("worker", "worker-1", "", "-t", "2")
            .server("webserver", "webserver-1", "")
            .javaOpts("executor-1", "-Dkestra.sim.migration-duration=3s");
    fleet.start(AgentFleet.VERSIONS);
    scenario.awaitReady(fleet);
    scenario.startLongTask(fleet, Duration.ofSeconds(2));
    String id = scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S");
    Path toolLogs = fleet.stateDir("executor-1").resolve("tool-logs");
    await("the migration runs")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> migrationRuns(toolLogs));
    // the webserver still runs (FULL_STOP restarts it after the migration): it accepts an execution
    // that the first backup, taken after the drain, does not hold
    String late =
        new Http()
            .post(
                fleet.webserverUrl() + "/api/v1/executions/sim.upgrade/late?taskDuration=PT1S",
                Map.of())
            .body()
            .path("id")
            .asText();
    Instant failed = Instant.now();
    // the target's launcher goes (an operator's clean-up, a full disk) while the migration, started
    // from it, runs on: the migration succeeds, and nothing can start on the target after it
    Path launcher = fleet.dir.resolve("kestra/kestra-1.0.0");
    Path aside = fleet.dir.resolve("kestra-1.0.0.aside");
    Files.move(launcher, aside);

    JsonNode upgrade = scenario.awaitEnd(id);

    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("ROLLED_BACK");
    assertThat(upgrade.path("reason").asText()).isEqualTo("LAUNCHER_MISSING");
    assertThat(Scenario.step(upgrade, "MIGRATE", "executor-1").path("state").asText())
        .isEqualTo("SUCCEEDED");
    assertThat(Scenario.step(upgrade, "RESTART", "webserver-1").path("state").asText())
        .isEqualTo("FAILED");
    assertRunning(fleet, "0.21.4");
    assertThat(schemaLevels(fleet))
        .as("flyway_schema_history back at 0.21.4's level: 1.0.0's migrations are gone")
        .doesNotContain("4", "5")
        .contains("3");
    JsonNode second = phaseStep(upgrade, "ROLLBACK_BACKUP");
    assertThat(second.path("state").asText()).isEqualTo("SUCCEEDED");
    Path secondDump = Path.of(second.path("result").path("backupLocation").asText());
    assertThat(secondDump).as("the second backup is kept").exists();
    assertThat(phaseStep(upgrade, "RESTORE").path("params").path("backupId").asText())
        .isEqualTo(upgrade.path("backupId").asText());
    scenario.assertNoCommandRunTwice(fleet, upgrade);
    JsonNode stats = scenario.stats(fleet, null);
    JsonNode restore = phaseStep(upgrade, "RESTORE");
    assertThat(restore.path("result").path("droppedExecutions").asLong())
        .as("what the rollback reports the restore dropped: %s", restore.path("message"))
        .isEqualTo(stats.path("dropped").asLong())
        .isEqualTo(1);
    assertThat(stats.path("droppedIds").get(0).asText()).isEqualTo(late);
    assertThat(restore.path("message").asText()).contains(late);
    assertThat(upgrade.path("message").asText()).contains("the restore dropped 1 execution(s)");
    long lost = stats.path("lost").asLong();
    assertThat(lost).as("executions lost").isZero();
    FaultReport.add(
        new FaultReport.Row(
            "rollback",
            "the target's launcher removed while MIGRATE is sent",
            "MIGRATE",
            "ROLLED_BACK (restored)",
            Duration.between(failed, Instant.parse(upgrade.path("finishedAt").asText())),
            lost,
            "RollbackFaultIT"));

    Files.move(aside, launcher);
    JsonNode again = scenario.awaitEnd(scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S"));
    assertThat(again.path("state").asText())
        .as("the next upgrade migrates the restored schema: %s", again.path("message"))
        .isEqualTo("SUCCEEDED");
    assertThat(schemaLevels(fleet)).contains("5");
  }

  @Test
  void aServerNeverReadyOnTheTargetIsRolledBackWithinItsDeadlines() throws Exception {
    AgentFleet fleet = scenario.drainingFleet("never-ready", Duration.ofSeconds(2), true);
    fleet.faults("readiness.never-up=worker@1.0.0\n");
    String id =
        scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S", Map.of("stepTimeout", "PT30S"));

    JsonNode upgrade = scenario.awaitEnd(id);

    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("ROLLED_BACK");
    assertThat(Scenario.step(upgrade, "START", "worker-1").path("state").asText())
        .isIn("FAILED", "TIMED_OUT");
    assertThat(upgrade.path("steps").findValuesAsText("type")).contains("RESTORE");
    assertRunning(fleet, "0.21.4");
    assertThat(schemaLevels(fleet)).doesNotContain("5");
  }

  @Test
  void aFailureBeforeTheMigrationStartsWhatStoppedAgainWithoutARestore() throws Exception {
    AgentFleet fleet =
        scenario
            .fleet("no-restore")
            .agentProcesses()
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("worker", "worker-1", "", "-t", "2")
            .server("webserver", "webserver-1", "")
            .failingPgDump();
    fleet.start(AgentFleet.VERSIONS);
    scenario.awaitReady(fleet);
    String id = scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S");

    JsonNode upgrade = scenario.awaitEnd(id);

    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("ROLLED_BACK");
    assertThat(upgrade.path("reason").asText()).isEqualTo("BACKUP_FAILED");
    List<String> phases = new ArrayList<>();
    upgrade.path("phases").forEach(p -> phases.add(p.path("phase").asText()));
    assertThat(phases)
        .contains("ROLLBACK_START", "ROLLBACK_VERIFY")
        .doesNotContain("ROLLBACK_BACKUP", "RESTORE");
    assertThat(Journals.receivedTypes(fleet.stateDir("webserver-1")))
        .as("the webserver, never stopped, is only verified")
        .containsExactly("PREPARE", "PING");
    assertRunning(fleet, "0.21.4");
  }

  @Test
  void aPauseMidDrainSendsNothingMoreUntilResumedAndTheUpgradeCompletes() throws Exception {
    AgentFleet fleet = scenario.drainingFleet("pause", Duration.ofSeconds(6), true);
    String id = scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S");
    await("worker-1 drains")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> scenario.db.stepRunning(id, "STOP", fleet.agentId("worker-1")));

    assertThat(control(id, "pause", null).path("state").asText()).isEqualTo("PAUSED");
    await("the drain ends while paused")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                Scenario.step(scenario.get("/api/v1/upgrades/" + id), "STOP", "worker-1")
                    .path("state")
                    .asText()
                    .equals("SUCCEEDED"));
    // the transition that ended the drain would have sent what follows: it sent nothing
    JsonNode paused = scenario.get("/api/v1/upgrades/" + id);
    assertThat(paused.path("state").asText()).isEqualTo("PAUSED");
    assertThat(Scenario.step(paused, "BACKUP", "executor-1").hasNonNull("commandId")).isFalse();

    assertThat(control(id, "resume", null).path("state").asText()).isEqualTo("RUNNING");
    JsonNode upgrade = scenario.awaitEnd(id);

    scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
  }

  @Test
  void withThePausePolicyAFailedMigrationWaitsAndResumeMigratesAgainOnceFixed() throws Exception {
    AgentFleet fleet = scenario.drainingFleet("pause-policy", Duration.ofSeconds(2), true);
    fleet.faults("migration.fail=1.0.0\n");
    String id =
        scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S", Map.of("onFailure", "PAUSE"));
    await("paused on the failed migration")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> scenario.get("/api/v1/upgrades/" + id).path("state").asText().equals("PAUSED"));
    assertThat(scenario.get("/api/v1/upgrades/" + id).path("reason").asText())
        .isEqualTo("MIGRATION_FAILED");

    fleet.faults("");
    assertThat(control(id, "resume", null).path("state").asText()).isEqualTo("RUNNING");
    JsonNode upgrade = scenario.awaitEnd(id);

    scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
    assertThat(schemaLevels(fleet)).contains("5");
  }

  @Test
  void aSucceededUpgradeRolledBackWithRestoreRunsThePreviousVersionOnItsSchemaAgain()
      throws Exception {
    AgentFleet fleet = scenario.drainingFleet("undo", Duration.ofSeconds(2), true);
    JsonNode upgraded = scenario.awaitEnd(scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S"));
    assertThat(upgraded.path("state").asText()).isEqualTo("SUCCEEDED");
    String id = upgraded.path("id").asText();

    Http.Answer refused = scenario.api("POST", "/api/v1/upgrades/" + id + "/rollback", Map.of());
    assertThat(refused.status()).isEqualTo(409);
    assertThat(control(id, "rollback", Map.of("restore", true)).path("state").asText())
        .isEqualTo("ROLLING_BACK");
    JsonNode upgrade = scenario.awaitEnd(id);

    assertThat(upgrade.path("state").asText())
        .as("upgrade: %s", upgrade.path("message"))
        .isEqualTo("ROLLED_BACK");
    assertRunning(fleet, "0.21.4");
    assertThat(schemaLevels(fleet)).contains("3").doesNotContain("5");
  }

  /** POST of an operator's control: the upgrade it answers (200 asserted). */
  private static JsonNode control(String id, String control, Map<String, Object> body)
      throws Exception {
    Http.Answer a =
        scenario.api(
            "POST", "/api/v1/upgrades/" + id + "/" + control, body == null ? Map.of() : body);
    assertThat(a.status()).as("%s: %s", control, a.body()).isEqualTo(200);
    return a.body();
  }

  /** Every agent of the fleet reports its server on {@code version} and ready. */
  private static void assertRunning(AgentFleet fleet, String version) throws Exception {
    JsonNode agents = scenario.get("/api/v1/agents?cluster=" + fleet.cluster());
    assertThat(agents).hasSize(fleet.size());
    for (JsonNode agent : agents) {
      String id = agent.path("agentId").asText();
      assertThat(agent.path("component").path("version").asText()).as(id).isEqualTo(version);
      assertThat(agent.path("component").path("ready").asBoolean()).as(id).isTrue();
    }
  }

  /** The versions of the stand-in's schema migrations applied, as Flyway records them. */
  private static List<String> schemaLevels(AgentFleet fleet) throws Exception {
    List<String> levels = new ArrayList<>();
    for (String v : List.of("1", "2", "3", "4", "5", "6")) {
      if (fleet.count(
              "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '" + v + "'")
          > 0) {
        levels.add(v);
      }
    }
    return levels;
  }

  /** Whether the migration tool logged that its (long) migration began. */
  private static boolean migrationRuns(Path toolLogs) throws java.io.IOException {
    try (var logs = Files.list(toolLogs)) {
      for (Path log :
          logs.filter(l -> l.getFileName().toString().startsWith("migrate-")).toList()) {
        if (Files.readString(log).contains("a long migration")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The one step of {@code phase}. */
  private static JsonNode phaseStep(JsonNode upgrade, String phase) {
    for (JsonNode s : upgrade.path("steps")) {
      if (s.path("phase").asText().equals(phase)) {
        return s;
      }
    }
    throw new AssertionError("no step of " + phase + " in " + upgrade);
  }
}
