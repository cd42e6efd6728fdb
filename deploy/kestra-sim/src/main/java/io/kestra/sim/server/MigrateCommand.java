package io.kestra.sim.server;

import io.kestra.sim.config.DatasourceSettings;
import io.kestra.sim.db.ConnectionPool;
import io.kestra.sim.db.MigrationException;
import io.kestra.sim.db.SchemaMigrator;
import io.kestra.sim.fault.Faults;
import io.kestra.sim.version.SimVersion;
import java.io.PrintStream;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code kestra sys database migrate}: migrates the schema to the version's level whatever {@code
 * flyway.datasources.postgres.enabled} says, prints {@code Successfully run the database schema
 * migration.} and exits 0; on failure prints Flyway's error and exits 1.
 */
public final class MigrateCommand {

  /** The line Kestra prints on success. */
  public static final String SUCCESS = "Successfully run the database schema migration.";

  private static final Logger LOG = Logger.getLogger(MigrateCommand.class.getName());

  private MigrateCommand() {}

  /** Runs the migration; returns the exit code. */
  public static int run(
      SimVersion version,
      DatasourceSettings datasource,
      Faults faults,
      Duration duration,
      PrintStream out) {
    try (ConnectionPool pool = new ConnectionPool(datasource, "kestra-migrate", 1)) {
      new SchemaMigrator(datasource, pool, version, faults, duration).migrate();
      out.println(SUCCESS);
      out.flush();
      return 0;
    } catch (MigrationException e) {
      LOG.severe("Database migration failed: " + e.getMessage());
      LOG.log(Level.FINE, "Database migration failed", e);
      return 1;
    }
  }
}
