package io.kestra.sim.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flyway at start and {@code sys database migrate}, through real launchers on a real database. */
class MigrationIT {

  private static final String SUCCESS = "Successfully run the database schema migration.";

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
  void sysDatabaseMigrateMigratesToTheVersionLevelAndPrintsTheSuccessLine() throws Exception {
    SimProcess old = fleet.migrate("0.21.4");
    assertThat(old.awaitExit(Duration.ofSeconds(1))).as(old.output()).isZero();
    assertThat(old.output()).contains(SUCCESS);
    assertThat(schemaVersion()).isEqualTo("3");

    SimProcess newer = fleet.migrate("1.0.0");
    assertThat(newer.awaitExit(Duration.ofSeconds(1))).as(newer.output()).isZero();
    assertThat(newer.output()).contains(SUCCESS);
    assertThat(schemaVersion()).isEqualTo("5");
  }

  @Test
  void aLongMigrationTakesItsDurationOnlyWhenThereIsWorkToDo() throws Exception {
    fleet.migrate("0.21.4");
    Map<String, String> slow = SimFleet.props("kestra.sim.migration-duration", "3s");

    SimProcess upgrade = fleet.start("migrate-slow", "1.0.0", slow, "sys", "database", "migrate");
    assertThat(upgrade.isAlive()).isTrue();
    await("the migration still running after a second")
        .pollDelay(Duration.ofSeconds(1))
        .until(() -> true);
    assertThat(schemaVersion()).as("not migrated yet").isEqualTo("3");
    assertThat(upgrade.awaitExit(Duration.ofSeconds(60))).as(upgrade.output()).isZero();
    assertThat(upgrade.output()).contains("a long migration (PT3S)").contains(SUCCESS);
    assertThat(schemaVersion()).isEqualTo("5");

    SimProcess again = fleet.start("migrate-again", "1.0.0", slow, "sys", "database", "migrate");
    assertThat(again.awaitExit(Duration.ofSeconds(60))).as(again.output()).isZero();
    assertThat(again.output()).doesNotContain("a long migration").contains(SUCCESS);
  }

  @Test
  void serverWithMigrationAtStartDisabledRefusesASchemaBehindItsLevel() throws Exception {
    fleet.migrate("0.21.4");

    SimProcess executor =
        fleet.start(
            "executor-1.0.0",
            "1.0.0",
            SimFleet.props("flyway.datasources.postgres.enabled", "false"),
            "server",
            "executor");

    assertThat(executor.awaitExit(SimFleet.START_TIMEOUT)).as(executor.output()).isEqualTo(1);
    assertThat(executor.output())
        .contains("Validate failed: Migrations have failed validation")
        .contains("Detected resolved migration not applied to database: 4.");
    assertThat(schemaVersion()).as("validation changes nothing").isEqualTo("3");
  }

  @Test
  void olderVersionToleratesANewerSchemaAndANewerVersionMigratesAtStart() throws Exception {
    SimProcess newer = fleet.start("executor-1.0.0", "1.0.0", Map.of(), "server", "executor");
    SimFleet.awaitReady(newer);
    assertThat(schemaVersion()).as("migrated at start").isEqualTo("5");

    SimProcess older =
        fleet.start(
            "executor-0.21.4",
            "0.21.4",
            SimFleet.props("flyway.datasources.postgres.enabled", "false"),
            "server",
            "executor");
    SimFleet.awaitReady(older);

    older.sigterm();
    newer.sigterm();
    assertThat(older.awaitExit(Duration.ofSeconds(20))).as(older.output()).isEqualTo(143);
    assertThat(newer.awaitExit(Duration.ofSeconds(20))).as(newer.output()).isEqualTo(143);
    assertThat(schemaVersion()).isEqualTo("5");
  }

  @Test
  void thePortsOpenOnlyOnceTheStartupMigrationIsDone() throws Exception {
    fleet.migrate("0.21.4");
    try (Connection blocker = fleet.jdbc()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        // V4 alters this table: the 1.0.0 server's start-up migration waits for the lock
        s.execute("LOCK TABLE executions IN ACCESS EXCLUSIVE MODE");
      }
      SimProcess executor = fleet.start("executor-1.0.0", "1.0.0", Map.of(), "server", "executor");
      await("the start-up migration waits for the lock")
          .atMost(SimFleet.START_TIMEOUT)
          .until(
              () ->
                  Integer.parseInt(
                          fleet.queryOne("SELECT count(*) FROM pg_locks WHERE NOT granted"))
                      > 0);

      assertThat(executor.isAlive()).isTrue();
      assertThat(Http.status(executor.managementPort, "/health/liveness"))
          .as("no management port during the migration")
          .isEqualTo(-1);
      assertThat(Http.status(executor.apiPort, "/")).as("nor API port").isEqualTo(-1);

      blocker.commit();
      SimFleet.awaitReady(executor);
    }
    assertThat(schemaVersion()).isEqualTo("5");
  }

  @Test
  void migrationFailFaultFailsOnlyTheSelectedVersionWithAFlywayLikeError() throws Exception {
    fleet.faults("migration.fail=migrate@1.0.0\n");

    SimProcess failed = fleet.migrate("1.0.0");
    assertThat(failed.awaitExit(Duration.ofSeconds(1))).isEqualTo(1);
    assertThat(failed.output())
        .contains("Migration V1__service_instance.sql failed")
        .doesNotContain(SUCCESS);
    assertThat(fleet.queryOne("SELECT to_regclass('flyway_schema_history')"))
        .as("nothing migrated")
        .isNull();

    SimProcess other = fleet.migrate("0.21.4");
    assertThat(other.awaitExit(Duration.ofSeconds(1))).as(other.output()).isZero();
    assertThat(schemaVersion()).isEqualTo("3");
  }

  private String schemaVersion() throws Exception {
    return fleet.queryOne(
        "SELECT max(version::int) FROM flyway_schema_history WHERE success AND version IS NOT NULL");
  }
}
