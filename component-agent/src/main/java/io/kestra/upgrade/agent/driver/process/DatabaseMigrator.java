package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Runs {@code kestra-<version> sys database migrate [-c config]} with the server's {@code
 * JAVA_OPTS}. It succeeded only if it exited 0 and printed Kestra's success line: an exit code
 * alone has been known to lie.
 */
public final class DatabaseMigrator {

  /** What Kestra prints when the migration went through. */
  public static final String SUCCESS_LINE = "Successfully run the database schema migration.";

  private final ProcessDriverSettings settings;
  private final Launchers launchers;
  private final ToolRunner tools;

  DatabaseMigrator(ProcessDriverSettings settings, Launchers launchers, ToolRunner tools) {
    this.settings = settings;
    this.launchers = launchers;
    this.tools = tools;
  }

  void migrate(KestraVersion version, Duration timeout, Progress progress)
      throws DriverException, InterruptedException {
    launchers.require(version);
    ToolResult result;
    try {
      result =
          tools.run(
              "migrate-" + version,
              launchers.migrateCommand(version, settings.launch().configFile()),
              Map.of("JAVA_OPTS", settings.launch().javaOpts()),
              settings.installDir(),
              timeout,
              progress,
              "migrating the database with " + version);
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.MIGRATION_FAILED,
          "cannot run the migration of " + version + ": " + e.getMessage(),
          e);
    }
    if (result.timedOut()) {
      throw new DriverException(
          FailureReason.MIGRATION_FAILED,
          "the migration with "
              + version
              + " ran longer than "
              + timeout
              + " and was stopped; output in "
              + result.outputFile()
              + ":\n"
              + result.tail());
    }
    if (result.exitCode() != 0 || !result.output().contains(SUCCESS_LINE)) {
      throw new DriverException(
          FailureReason.MIGRATION_FAILED,
          "kestra-"
              + version
              + " sys database migrate exited with code "
              + result.exitCode()
              + (result.exitCode() == 0 ? " without reporting success" : "")
              + "; output in "
              + result.outputFile()
              + ":\n"
              + result.tail());
    }
  }
}
