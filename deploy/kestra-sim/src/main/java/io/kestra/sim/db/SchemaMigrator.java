package io.kestra.sim.db;

import io.kestra.sim.config.DatasourceSettings;
import io.kestra.sim.fault.Fault;
import io.kestra.sim.fault.Faults;
import io.kestra.sim.version.SimVersion;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Flyway over Kestra's migration location ({@code classpath:migrations/postgres}, history in {@code
 * flyway_schema_history}), limited to the version's schema level ({@code target}). Like Kestra it
 * ignores missing and future migrations, so an older version tolerates a newer schema.
 */
public final class SchemaMigrator {

  private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

  /** Kestra's migration location. */
  public static final String LOCATION = "classpath:migrations/postgres";

  private final DatasourceSettings datasource;
  private final ConnectionPool pool;
  private final SimVersion version;
  private final Faults faults;
  private final Duration duration;

  /**
   * Creates a migrator for a version.
   *
   * @param pool connections for reading the history (Flyway opens its own)
   * @param duration extra time a migration with work to do takes ({@code
   *     kestra.sim.migration-duration})
   */
  public SchemaMigrator(
      DatasourceSettings datasource,
      ConnectionPool pool,
      SimVersion version,
      Faults faults,
      Duration duration) {
    this.datasource = datasource;
    this.pool = pool;
    this.version = version;
    this.faults = faults;
    this.duration = duration;
  }

  /**
   * Migrates up to the version's level.
   *
   * @throws MigrationException with Flyway's message when a migration fails (or the {@code
   *     migration.fail} fault is on)
   */
  public void migrate() throws MigrationException {
    if (faults.isOn(Fault.MIGRATION_FAIL, "migrate", version.version())) {
      throw simulatedFailure(flyway());
    }
    if (isComplete()) {
      LOG.info(
          () ->
              "Schema \"public\" is up to date at version "
                  + version.schemaLevel()
                  + " or later. No migration necessary.");
      return;
    }
    simulateLongMigration();
    try {
      flyway().migrate();
    } catch (FlywayException e) {
      throw new MigrationException(e.getMessage(), e);
    }
  }

  /** The time a large database's migration takes, before the scripts run. */
  private void simulateLongMigration() throws MigrationException {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    LOG.info(() -> "Migrating schema \"public\": a long migration (" + duration + ") …");
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MigrationException("interrupted during the migration", e);
    }
  }

  /**
   * Checks, without changing it, that the schema has every migration of the version's level.
   *
   * @throws MigrationException with Flyway's message ({@code Validate failed: ...})
   */
  public void validate() throws MigrationException {
    if (isComplete()) {
      LOG.info(
          () -> "Successfully validated the schema up to version " + version.schemaLevel() + ".");
      return;
    }
    try {
      flyway().validate();
    } catch (FlywayException e) {
      throw new MigrationException(e.getMessage(), e);
    }
  }

  /**
   * Whether {@code flyway_schema_history} already holds every migration up to the level, all
   * successful. Then Flyway has nothing to do, and starting it (about a second on two cores) is
   * skipped: start-up must stay under two seconds. Anything else goes through Flyway, for its real
   * work and its real messages.
   */
  private boolean isComplete() throws MigrationException {
    try {
      return pool.withConnection(this::isComplete);
    } catch (SQLException e) {
      throw new MigrationException("Cannot read the schema history: " + e.getMessage(), e);
    }
  }

  private boolean isComplete(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT to_regclass('flyway_schema_history')")) {
        if (!rs.next() || rs.getString(1) == null) {
          return false;
        }
      }
      Set<String> applied = new HashSet<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
        while (rs.next()) {
          if (!rs.getBoolean(2)) {
            return false;
          }
          applied.add(rs.getString(1));
        }
      }
      return IntStream.rangeClosed(1, version.schemaLevel())
          .allMatch(v -> applied.contains(Integer.toString(v)));
    }
  }

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource(datasource.url(), datasource.username(), datasource.password())
        .locations(LOCATION)
        .table("flyway_schema_history")
        .target(MigrationVersion.fromVersion(Integer.toString(version.schemaLevel())))
        .ignoreMigrationPatterns("*:missing", "*:future")
        .cleanDisabled(true)
        .load();
  }

  private MigrationException simulatedFailure(Flyway flyway) {
    MigrationInfo[] pending = flyway.info().pending();
    String script =
        pending.length > 0
            ? pending[0].getScript()
            : "V" + version.schemaLevel() + " (fault forces a failure with nothing pending)";
    String message =
        String.join(
            System.lineSeparator(),
            "Migration " + script + " failed",
            "-".repeat(("Migration " + script + " failed").length()),
            "SQL State  : XX000",
            "Error Code : 0",
            "Message    : ERROR: simulated failure (fault " + Fault.MIGRATION_FAIL.key() + ")",
            "Location   : migrations/postgres/" + script);
    LOG.log(
        Level.SEVERE, "Migration of schema \"public\" failed! Changes successfully rolled back.");
    return new MigrationException(message, null);
  }
}
