package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.BackupResult;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.common.FailureReason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BACKUP, RESTORE and the backup check as every driver whose agent reaches Kestra's database
 * carries them out: {@code pg_dump}/{@code pg_restore} run beside the agent, recorded so that an
 * agent killed mid-dump neither runs it twice nor forgets it. The process and docker drivers share
 * it; only where the server runs differs between them.
 */
public final class LocalBackups {

  private static final Logger LOG = LoggerFactory.getLogger(LocalBackups.class);

  private final ToolRunner tools;
  private final Optional<PgBackups> backups;
  private final Duration toolTimeout;

  /**
   * @param toolLogs where the tools' output and records go ({@code <stateDir>/tool-logs})
   * @param database Kestra's database, when configured; without it every operation is refused
   */
  public LocalBackups(
      Path toolLogs,
      Optional<ProcessDriverSettings.Database> database,
      Duration toolTimeout,
      Duration pollInterval,
      Clock clock) {
    this(new ToolRunner(toolLogs, clock, pollInterval), database, toolTimeout, clock);
  }

  LocalBackups(
      ToolRunner tools,
      Optional<ProcessDriverSettings.Database> database,
      Duration toolTimeout,
      Clock clock) {
    this.tools = tools;
    this.backups = database.map(db -> new PgBackups(db, tools, clock));
    this.toolTimeout = toolTimeout;
  }

  /** Whether Kestra's database is configured (the BACKUP capability). */
  public boolean configured() {
    return backups.isPresent();
  }

  /** Dumps the database, then keeps the newest backups and those in {@code keep}. */
  public BackupResult backup(Optional<Duration> timeout, Set<String> keep, Progress progress)
      throws DriverException, InterruptedException {
    PgBackups pg = require();
    BackupResult taken = pg.backup(timeout.orElse(toolTimeout), progress);
    Set<String> kept = new HashSet<>(keep);
    kept.add(taken.backupId());
    pg.prune(kept);
    return taken;
  }

  /**
   * Restores {@code backupId}; with {@code compareWith}, first lists the executions that later
   * backup holds and the restored one does not (the ones the restore drops).
   */
  public Optional<List<String>> restore(
      String backupId, Optional<String> compareWith, Optional<Duration> timeout, Progress progress)
      throws DriverException, InterruptedException {
    PgBackups pg = require();
    Duration budget = timeout.orElse(toolTimeout);
    // counted before the restore, which then says what it dropped; a count that cannot be made
    // must not keep the database from being restored
    Optional<List<String>> dropped = Optional.empty();
    if (compareWith.isPresent()) {
      try {
        dropped = Optional.of(pg.executionsOnlyIn(compareWith.get(), backupId, budget, progress));
      } catch (DriverException e) {
        LOG.warn(
            "cannot count the executions restoring {} drops: {} {}",
            backupId,
            e.reason(),
            e.getMessage());
      }
    }
    pg.restore(backupId, budget, progress);
    return dropped;
  }

  /** Checks that {@code backupId} is there and its checksum matches. */
  public void check(String backupId, Progress progress) throws DriverException {
    require().check(backupId, progress);
  }

  /** The tools an earlier run of the agent left behind. */
  public Optional<String> settleLeftBehind(Progress progress) throws InterruptedException {
    return tools.settleLeftBehind(progress);
  }

  private PgBackups require() throws DriverException {
    return backups.orElseThrow(
        () ->
            new DriverException(
                FailureReason.UNSUPPORTED_COMMAND,
                "no database is configured for this agent: it cannot back up or restore"));
  }
}
