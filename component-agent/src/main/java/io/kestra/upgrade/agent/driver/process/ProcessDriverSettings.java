package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Configuration of the {@link ProcessDriver}: a standalone install whose versions are {@code
 * <installDir>/kestra-<version>} launchers.
 *
 * @param installDir the folder of the {@code kestra-<version>} launchers
 * @param kind the server kind to run ({@code kestra-<version> server <kind>})
 * @param stateDir where the driver keeps what it needs to find its server again (pid, version)
 * @param boot what to do when the agent starts
 * @param launch how to launch the server
 * @param probe how to watch it
 * @param limits how long things may take
 * @param database Kestra's database, for BACKUP and RESTORE; empty when this agent does neither
 */
public record ProcessDriverSettings(
    Path installDir,
    ComponentKind kind,
    Path stateDir,
    Boot boot,
    Launch launch,
    Probe probe,
    Limits limits,
    Optional<Database> database) {

  public ProcessDriverSettings {
    Objects.requireNonNull(installDir, "installDir");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(boot, "boot");
    Objects.requireNonNull(launch, "launch");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(database, "database");
  }

  /**
   * What to do when the agent starts.
   *
   * @param initialVersion the version installed; started by {@code autostart} when the agent has
   *     never run a server, and reported as the component's version until one runs
   * @param autostart start a server at agent start, unless one is adopted or the last command
   *     stopped it
   */
  public record Boot(Optional<KestraVersion> initialVersion, boolean autostart) {
    public Boot {
      Objects.requireNonNull(initialVersion, "initialVersion");
    }
  }

  /**
   * How to launch the server.
   *
   * @param serverArgs arguments after {@code server <kind>}, e.g. {@code -t 4}; each a separate
   *     argument, never through a shell
   * @param apiPort passed as {@code --port N}: every Kestra server binds an API port (8080 unless
   *     told), so servers sharing a host each need their own; empty to leave it to the server's
   *     configuration
   * @param configFile passed as {@code -c FILE}
   * @param javaOpts the server's {@code JAVA_OPTS}; the driver appends {@code
   *     -Dendpoints.all.port=} the probed management port, and a START's grace period
   * @param logFile where the server's stdout and stderr are appended
   */
  public record Launch(
      List<String> serverArgs,
      OptionalInt apiPort,
      Optional<Path> configFile,
      String javaOpts,
      Path logFile) {
    public Launch {
      serverArgs = List.copyOf(serverArgs);
      Objects.requireNonNull(apiPort, "apiPort");
      apiPort.ifPresent(port -> requirePort("API port", port));
      Objects.requireNonNull(configFile, "configFile");
      javaOpts = javaOpts == null ? "" : javaOpts.trim();
      Objects.requireNonNull(logFile, "logFile");
    }

    /** A launch that leaves the API port to the server's configuration. */
    public Launch(
        List<String> serverArgs, Optional<Path> configFile, String javaOpts, Path logFile) {
      this(serverArgs, OptionalInt.empty(), configFile, javaOpts, logFile);
    }
  }

  /**
   * How to watch the server.
   *
   * @param managementPort Kestra's management port ({@code endpoints.all.port}, 8081)
   * @param interval time between two probes of readiness and running tasks
   */
  public record Probe(int managementPort, Duration interval) {
    public Probe {
      requirePort("management port", managementPort);
      requirePositive("probe interval", interval);
    }
  }

  /**
   * How long things may take when a command does not say.
   *
   * @param readinessTimeout from start to readiness, a start-up migration included
   * @param killMargin added to the grace period before SIGKILL
   * @param toolTimeout a migration, a dump or a restore
   */
  public record Limits(Duration readinessTimeout, Duration killMargin, Duration toolTimeout) {
    public Limits {
      requirePositive("readiness timeout", readinessTimeout);
      Objects.requireNonNull(killMargin, "killMargin");
      if (killMargin.isNegative()) {
        throw new IllegalArgumentException("kill margin cannot be negative");
      }
      requirePositive("tool timeout", toolTimeout);
    }
  }

  /**
   * Kestra's database, dumped with {@code pg_dump} and restored with {@code pg_restore}.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host[:port]/database}
   * @param username the database user
   * @param password the password, handed to the tools in {@code PGPASSWORD}, never on a command
   *     line
   * @param backupDir where dumps and their checksums are kept
   * @param pgBinDir where {@code pg_dump}, {@code pg_restore} and {@code psql} are; empty to use
   *     the PATH
   * @param retention how many backups, the newest, a BACKUP leaves in {@code backupDir}
   */
  public record Database(
      String jdbcUrl,
      String username,
      Optional<String> password,
      Path backupDir,
      Optional<Path> pgBinDir,
      int retention) {

    /** Backups kept by default. */
    public static final int DEFAULT_RETENTION = 3;

    public Database {
      PgTarget.parse(jdbcUrl);
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(backupDir, "backupDir");
      Objects.requireNonNull(pgBinDir, "pgBinDir");
      if (retention < 1) {
        throw new IllegalArgumentException(
            "agent.driver.process.backup-retention must keep at least 1 backup, not " + retention);
      }
    }

    /** A database whose backups are kept {@link #DEFAULT_RETENTION} at a time. */
    public Database(
        String jdbcUrl,
        String username,
        Optional<String> password,
        Path backupDir,
        Optional<Path> pgBinDir) {
      this(jdbcUrl, username, password, backupDir, pgBinDir, DEFAULT_RETENTION);
    }
  }

  private static void requirePort(String what, int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(what + " " + port + " is no port");
    }
  }

  private static void requirePositive(String what, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, not " + value);
    }
  }
}
