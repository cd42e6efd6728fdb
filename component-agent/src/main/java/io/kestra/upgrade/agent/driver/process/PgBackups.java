package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.BackupResult;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.common.FailureReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dumps and restores Kestra's PostgreSQL database with the PostgreSQL client tools: {@code pg_dump
 * -Fc} into the backup folder, with its SHA-256 beside it. A restore, only after the checksum
 * matched, empties Kestra's schema and loads the dump into it in one transaction: {@code
 * pg_restore} turns the dump into SQL, and {@code psql --single-transaction} runs "drop the schema,
 * create it" and that SQL together. Emptied, not cleaned: {@code pg_restore --clean} drops only
 * what the dump holds, and would leave the tables a newer migration created, on which the old
 * version's next migration then fails ("already exists"). All or nothing: a failed restore leaves
 * the database as it was. The password travels in {@code PGPASSWORD}, never on a command line.
 */
final class PgBackups {

  private static final Logger LOG = LoggerFactory.getLogger(PgBackups.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ProcessDriverSettings.Database database;
  private final PgTarget target;
  private final ToolRunner tools;
  private final Clock clock;

  PgBackups(ProcessDriverSettings.Database database, ToolRunner tools, Clock clock) {
    this.database = database;
    this.target = PgTarget.parse(database.jdbcUrl());
    this.tools = tools;
    this.clock = clock;
  }

  /** The dump file of {@code backupId}. */
  Path dumpFile(String backupId) {
    return database.backupDir().resolve(backupId + ".dump");
  }

  /** The checksum file of {@code backupId}, in {@code sha256sum} format. */
  Path checksumFile(String backupId) {
    return database.backupDir().resolve(backupId + ".dump.sha256");
  }

  BackupResult backup(Duration timeout, Progress progress)
      throws DriverException, InterruptedException {
    String backupId =
        "backup-"
            + STAMP.format(clock.instant())
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    Path dump = dumpFile(backupId);
    Path partial = dump.resolveSibling(dump.getFileName() + ".partial");
    try {
      Files.createDirectories(database.backupDir());
      List<String> command = new ArrayList<>(List.of(tool("pg_dump"), "--format=custom"));
      command.addAll(connectionArgs());
      command.add("--file=" + partial);
      ToolResult result =
          run("pg_dump", command, timeout, progress, "dumping " + target.database());
      if (!result.succeeded()) {
        Files.deleteIfExists(partial);
        throw new DriverException(FailureReason.BACKUP_FAILED, failure("pg_dump", result, timeout));
      }
      // only a complete dump gets its final name: a crash never leaves a half dump that looks whole
      Files.move(partial, dump, StandardCopyOption.ATOMIC_MOVE);
      String sha256 = sha256(dump);
      Files.writeString(
          checksumFile(backupId),
          sha256 + "  " + dump.getFileName() + "\n",
          StandardCharsets.US_ASCII);
      long size = Files.size(dump);
      LOG.info(
          "backup {} of {} taken: {} bytes, sha256 {}", backupId, target.database(), size, sha256);
      return new BackupResult(backupId, size, sha256, dump.toAbsolutePath().toString());
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.BACKUP_FAILED,
          "cannot write backup " + backupId + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Deletes the backups beyond the retention, the oldest (by when their dump was written: two ids
   * of one second do not sort by age), but none in {@code keep}.
   */
  void prune(Set<String> keep) throws DriverException {
    List<String> ids;
    try (var files = Files.list(database.backupDir())) {
      List<Path> dumps =
          files
              .filter(
                  f -> {
                    String n = f.getFileName().toString();
                    return n.startsWith("backup-") && n.endsWith(".dump");
                  })
              .toList();
      Map<Path, java.nio.file.attribute.FileTime> written = new HashMap<>();
      for (Path dump : dumps) {
        written.put(dump, Files.getLastModifiedTime(dump));
      }
      ids =
          dumps.stream()
              .sorted(java.util.Comparator.comparing(written::get).reversed())
              .map(f -> f.getFileName().toString())
              .map(n -> n.substring(0, n.length() - ".dump".length()))
              .toList();
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.BACKUP_FAILED,
          "cannot list the backups in " + database.backupDir() + ": " + e.getMessage(),
          e);
    }
    int kept = 0;
    for (String id : ids) {
      if (kept < database.retention() || keep.contains(id)) {
        kept++;
        continue;
      }
      try {
        Files.deleteIfExists(dumpFile(id));
        Files.deleteIfExists(checksumFile(id));
        LOG.info("backup {} deleted: {} newer backups are kept", id, database.retention());
      } catch (IOException e) {
        // a backup left behind takes room, nothing more: the next BACKUP tries again
        LOG.warn("cannot delete backup {}: {}", id, e.getMessage());
      }
    }
  }

  /**
   * The executions backup {@code later} holds and backup {@code earlier} does not, in {@code
   * later}'s order: what restoring {@code earlier} over the database {@code later} was taken of
   * drops. An execution is known by the first column of Kestra's {@code executions} table (its
   * key).
   */
  List<String> executionsOnlyIn(String later, String earlier, Duration timeout, Progress progress)
      throws DriverException, InterruptedException {
    check(later, progress);
    Set<String> before = new HashSet<>(executionIds(earlier, timeout, progress));
    return executionIds(later, timeout, progress).stream()
        .filter(id -> !before.contains(id))
        .toList();
  }

  private List<String> executionIds(String backupId, Duration timeout, Progress progress)
      throws DriverException, InterruptedException {
    Path out = database.backupDir().resolve(backupId + ".executions.sql");
    try {
      ToolResult result =
          run(
              "pg_restore",
              List.of(
                  tool("pg_restore"),
                  "--data-only",
                  "--table=executions",
                  "--file=" + out,
                  dumpFile(backupId).toString()),
              timeout,
              progress,
              "reading the executions of " + backupId);
      if (!result.succeeded()) {
        throw new DriverException(
            FailureReason.RESTORE_FAILED, failure("pg_restore", result, timeout));
      }
      List<String> ids = new ArrayList<>();
      boolean inCopy = false;
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (!inCopy) {
          inCopy = line.startsWith("COPY ") && line.contains("executions (");
        } else if (line.equals("\\.")) {
          inCopy = false;
        } else {
          ids.add(line.split("\t", 2)[0]);
        }
      }
      return ids;
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.RESTORE_FAILED,
          "cannot read the executions of " + backupId + ": " + e.getMessage(),
          e);
    } finally {
      try {
        Files.deleteIfExists(out);
      } catch (IOException e) {
        LOG.warn("cannot delete {}: {}", out, e.getMessage());
      }
    }
  }

  /** Checks that backup {@code backupId} is there and matches its recorded SHA-256. */
  void check(String backupId, Progress progress) throws DriverException {
    if (!ID.matcher(backupId).matches()) {
      throw new DriverException(
          FailureReason.BACKUP_NOT_FOUND, "no backup can be named " + backupId);
    }
    Path dump = dumpFile(backupId);
    Path checksum = checksumFile(backupId);
    if (!Files.isRegularFile(dump) || !Files.isRegularFile(checksum)) {
      throw new DriverException(
          FailureReason.BACKUP_NOT_FOUND,
          "backup " + backupId + " is not in " + database.backupDir() + " (dump and checksum)");
    }
    try {
      progress.report("checking the checksum of " + backupId);
      String expected =
          Files.readString(checksum, StandardCharsets.US_ASCII).strip().split("\\s+")[0];
      String actual = sha256(dump);
      if (!expected.equalsIgnoreCase(actual)) {
        throw new DriverException(
            FailureReason.CHECKSUM_MISMATCH,
            "backup "
                + backupId
                + " has SHA-256 "
                + actual
                + " but "
                + expected
                + " was recorded"
                + " when it was taken: not restoring it");
      }
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.BACKUP_NOT_FOUND,
          "cannot read backup " + backupId + ": " + e.getMessage(),
          e);
    }
  }

  void restore(String backupId, Duration timeout, Progress progress)
      throws DriverException, InterruptedException {
    check(backupId, progress);
    Path dump = dumpFile(backupId);
    try {
      Path script = database.backupDir().resolve(backupId + ".restore.sql");
      Path prelude = database.backupDir().resolve(backupId + ".restore-prelude.sql");
      try {
        ToolResult sql =
            run(
                "pg_restore",
                List.of(tool("pg_restore"), "--no-owner", "--file=" + script, dump.toString()),
                timeout,
                progress,
                "reading " + backupId);
        if (!sql.succeeded()) {
          throw new DriverException(
              FailureReason.RESTORE_FAILED, failure("pg_restore", sql, timeout));
        }
        Files.writeString(prelude, prelude(script), StandardCharsets.UTF_8);
        List<String> command =
            new ArrayList<>(
                List.of(
                    tool("psql"),
                    "--no-psqlrc",
                    "--quiet",
                    "--single-transaction",
                    "--set=ON_ERROR_STOP=1"));
        command.addAll(connectionArgs());
        command.add("--file=" + prelude);
        command.add("--file=" + script);
        ToolResult result =
            run(
                "psql",
                command,
                timeout,
                progress,
                "restoring " + backupId + " into " + target.database() + "." + target.schema());
        if (!result.succeeded()) {
          throw new DriverException(FailureReason.RESTORE_FAILED, failure("psql", result, timeout));
        }
      } finally {
        Files.deleteIfExists(script);
        Files.deleteIfExists(prelude);
      }
      LOG.info("backup {} restored into {}", backupId, target.database());
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.RESTORE_FAILED, "cannot restore " + backupId + ": " + e.getMessage(), e);
    }
  }

  /**
   * The SQL run before the dump's: Kestra's schema dropped with all it holds, and created again
   * unless the dump creates it itself (it does for any schema but {@code public}).
   */
  private String prelude(Path script) throws IOException {
    String quoted = "\"" + target.schema() + "\"";
    boolean created;
    try (var lines = Files.lines(script, StandardCharsets.UTF_8)) {
      created =
          lines.anyMatch(
              l ->
                  l.equals("CREATE SCHEMA " + target.schema() + ";")
                      || l.equals("CREATE SCHEMA " + quoted + ";"));
    }
    return "DROP SCHEMA IF EXISTS "
        + quoted
        + " CASCADE;\n"
        + (created ? "" : "CREATE SCHEMA " + quoted + ";\n");
  }

  private ToolResult run(
      String name, List<String> command, Duration timeout, Progress progress, String status)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>();
    database.password().ifPresent(password -> env.put("PGPASSWORD", password));
    env.put("PGCONNECT_TIMEOUT", "10");
    return tools.run(name, command, env, database.backupDir(), timeout, progress, status);
  }

  private List<String> connectionArgs() {
    return List.of(
        "--no-password",
        "--host=" + target.host(),
        "--port=" + target.port(),
        "--username=" + database.username(),
        "--dbname=" + target.database());
  }

  private String tool(String name) {
    return database.pgBinDir().map(dir -> dir.resolve(name).toString()).orElse(name);
  }

  private static String failure(String tool, ToolResult result, Duration timeout) {
    return tool
        + (result.timedOut()
            ? " ran longer than " + timeout + " and was stopped"
            : " exited with code " + result.exitCode())
        + "; output in "
        + result.outputFile()
        + ":\n"
        + result.tail();
  }

  static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
