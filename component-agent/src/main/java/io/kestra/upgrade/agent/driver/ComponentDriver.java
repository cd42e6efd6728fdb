package io.kestra.upgrade.agent.driver;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Observed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How an agent acts on its one Kestra server: the only thing the agent's core knows of processes,
 * containers or pods.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>The core calls the operations one at a time, from one thread; {@link #observe()} may be
 *       called from any thread at any time, also during an operation, and must stay cheap (a cached
 *       value refreshed in the background).
 *   <li>An operation that cannot reach its outcome throws {@link DriverException} with a {@link
 *       FailureReason} and a message for humans (for a failed start or migration, the tail of the
 *       output).
 *   <li>Blocking operations respond to interruption by throwing {@link InterruptedException}
 *       promptly; they leave the managed server as it is (running or not), and kill only helper
 *       processes they started themselves (a migration, a dump).
 *   <li>Versions arrive already parsed by {@link KestraVersion}: nothing else ever reaches a
 *       process argument, a file name or an image tag.
 *   <li>The state a driver needs to find its server again after the agent restarted (a pid, a
 *       container id) is the driver's own, kept on disk; {@link #close()} leaves the server
 *       running.
 * </ul>
 */
public interface ComponentDriver extends AutoCloseable {

  /** The driver's name in heartbeats: {@code process}, {@code docker}, {@code kubernetes}. */
  String name();

  /** What this driver can do besides start and stop ({@code BACKUP}, {@code MIGRATE}, ...). */
  Set<Capability> capabilities();

  /**
   * Whether the driver carries out commands of this type; the agent rejects the others. By default
   * every type, MAINTENANCE_* only with a {@link #maintenanceApi}.
   */
  default boolean supports(CommandType type) {
    return (type != CommandType.MAINTENANCE_ENTER && type != CommandType.MAINTENANCE_EXIT)
        || maintenanceApi().isPresent();
  }

  /**
   * Kestra Enterprise's maintenance API, reached from this agent (configured with {@code
   * agent.driver.maintenance.url}, usually beside a webserver); empty by default.
   */
  default Optional<MaintenanceApi> maintenanceApi() {
    return Optional.empty();
  }

  /**
   * The server as last seen: version (running, or last run), state, readiness, in-flight tasks.
   * Never blocks on I/O.
   */
  Observed observe();

  /**
   * The {@code kestra.server.terminationGracePeriod} the server is configured with (Kestra's
   * default when its configuration does not set it), reported in heartbeats so that the coordinator
   * sizes a STOP by it; empty when the driver cannot tell. Never blocks on I/O.
   */
  default Optional<Duration> configuredGracePeriod() {
    return Optional.empty();
  }

  /**
   * Called once when the agent starts: finds a server started before (adopts it), or starts the
   * configured one when so configured, and begins observing. Problems are logged and visible in
   * {@link #observe()}; they do not prevent the agent from taking commands.
   */
  void boot();

  /**
   * Makes {@code version} ready to start without touching the running server (binary present, image
   * pulled).
   *
   * @throws DriverException {@link FailureReason#LAUNCHER_MISSING} when it cannot be made ready
   */
  void prepare(KestraVersion version) throws DriverException, InterruptedException;

  /**
   * Starts the server on {@code version} and waits until it reports ready. Idempotent: when that
   * version already runs, only waits for readiness.
   *
   * @throws DriverException {@link FailureReason#START_FAILED} when the server exits while
   *     starting, {@link FailureReason#READINESS_TIMEOUT} when it is not ready in time, {@link
   *     FailureReason#VERSION_MISMATCH} when another version runs, {@link
   *     FailureReason#LAUNCHER_MISSING}
   */
  void start(KestraVersion version, StartRequest request, Progress progress)
      throws DriverException, InterruptedException;

  /**
   * Whether a server on {@code version} is running now (checked afresh, not from the cache). Used
   * to resume a START that an agent restart interrupted.
   */
  boolean isRunning(KestraVersion version);

  /**
   * Waits until the running server on {@code version} reports ready; starts nothing.
   *
   * @param timeout how long readiness may take, counted from {@code since}; empty for the driver's
   *     default
   * @param since when the wait began (for an agent that restarted mid-START: when the START was
   *     received)
   * @throws DriverException {@link FailureReason#READINESS_TIMEOUT}, or {@link
   *     FailureReason#START_FAILED} when it exits meanwhile, or {@link
   *     FailureReason#VERSION_MISMATCH} when that version does not run
   */
  void awaitReady(
      KestraVersion version, Optional<Duration> timeout, Instant since, Progress progress)
      throws DriverException, InterruptedException;

  /**
   * Stops the server gracefully (SIGTERM), reporting the tasks still running, and kills it only
   * once grace period and kill margin have passed since {@link StopRequest#requestedAt()}. Nothing
   * running is a success ({@link StopMode#NONE}). A stopped server stays stopped when the agent
   * restarts.
   *
   * @throws DriverException {@link FailureReason#STOP_FAILED} when even a kill does not end it
   */
  StopOutcome stop(StopRequest request, Progress progress)
      throws DriverException, InterruptedException;

  /**
   * The upgrade or its rollback is over, every server verified on {@code version}: drops what was
   * kept only to go back (never the server itself), and when {@code recordVersion} writes {@code
   * version} into the deployment's own file. Idempotent. Does not fail for what it cannot tidy.
   *
   * @return what was done and what is left, for the operator
   */
  default String finish(KestraVersion version, boolean recordVersion, Progress progress)
      throws DriverException, InterruptedException {
    return "nothing was kept for a rollback"
        + (recordVersion
            ? "; the " + name() + " driver has no deployment file to record " + version + " in"
            : "");
  }

  /**
   * Runs Kestra's database migration ({@code kestra sys database migrate}) with {@code version}.
   *
   * @param timeout how long it may run; empty for the driver's default
   * @throws DriverException {@link FailureReason#MIGRATION_FAILED} with the tool's output, {@link
   *     FailureReason#LAUNCHER_MISSING}
   */
  void migrate(KestraVersion version, Optional<Duration> timeout, Progress progress)
      throws DriverException, InterruptedException;

  /**
   * Dumps Kestra's database, then applies the backup retention: the newest backups are kept, and
   * those in {@code keep}, whatever their age.
   *
   * @param timeout how long it may run; empty for the driver's default
   * @param keep backups the retention must not delete
   * @throws DriverException {@link FailureReason#BACKUP_FAILED}
   */
  BackupResult backup(Optional<Duration> timeout, Set<String> keep, Progress progress)
      throws DriverException, InterruptedException;

  /**
   * Restores a dump taken by {@link #backup}, after checking its checksum.
   *
   * @param compareWith a later backup whose executions the restore may drop: the ids of those it
   *     holds and the restored one does not are returned
   * @return the ids of the executions the restore dropped, when {@code compareWith} is given
   * @throws DriverException {@link FailureReason#BACKUP_NOT_FOUND}, {@link
   *     FailureReason#CHECKSUM_MISMATCH}, {@link FailureReason#RESTORE_FAILED}
   */
  Optional<List<String>> restore(
      String backupId, Optional<String> compareWith, Optional<Duration> timeout, Progress progress)
      throws DriverException, InterruptedException;

  /**
   * Checks that a dump taken by {@link #backup} is there and its checksum matches, restoring
   * nothing.
   *
   * @throws DriverException {@link FailureReason#BACKUP_NOT_FOUND}, {@link
   *     FailureReason#CHECKSUM_MISMATCH}
   */
  void checkBackup(String backupId, Progress progress) throws DriverException, InterruptedException;

  /**
   * Installs {@code content} as the server's configuration file for its next start. The file it
   * replaces is kept, once: a second install (a retried step) keeps the first original, which
   * {@link #restoreConfig} puts back. Drivers without the {@link Capability#CONFIG_FILE} capability
   * keep this default.
   *
   * @throws DriverException {@link FailureReason#UNSUPPORTED_COMMAND} by default; {@link
   *     FailureReason#DRIVER_ERROR} when the file cannot be written
   */
  default void installConfig(String content) throws DriverException {
    throw new DriverException(
        FailureReason.UNSUPPORTED_COMMAND,
        name() + " driver cannot install a configuration file for its server");
  }

  /**
   * Puts back the configuration file {@link #installConfig} replaced, if it did; idempotent.
   *
   * @return whether one was put back
   * @throws DriverException {@link FailureReason#UNSUPPORTED_COMMAND} by default; {@link
   *     FailureReason#DRIVER_ERROR} when the file cannot be moved back
   */
  default boolean restoreConfig() throws DriverException {
    throw new DriverException(
        FailureReason.UNSUPPORTED_COMMAND,
        name() + " driver cannot put back a configuration file for its server");
  }

  /**
   * Switches Kestra Enterprise into ({@code enter}) or out of maintenance mode through the {@link
   * #maintenanceApi}, and waits until its status says so.
   *
   * @return what the status said beside it (its {@code maintenanceDetails}), or an empty string
   * @throws DriverException {@link FailureReason#UNSUPPORTED_COMMAND} without a maintenance API,
   *     {@link FailureReason#MAINTENANCE_FAILED} when the API refuses or does not confirm
   */
  default String maintenance(boolean enter, Progress progress)
      throws DriverException, InterruptedException {
    MaintenanceApi api =
        maintenanceApi()
            .orElseThrow(
                () ->
                    new DriverException(
                        FailureReason.UNSUPPORTED_COMMAND,
                        name()
                            + " driver has no maintenance API: set agent.driver.maintenance.url"));
    return api.set(enter, progress);
  }

  /**
   * Settles what an earlier run of the agent left behind when it was killed in the middle of a
   * command: a helper it started ({@code pg_dump}, a migration) may still run, and must be neither
   * run a second time nor forgotten. Waits for such a helper to end (reporting progress), up to its
   * own time-out, and describes it. Drivers whose commands leave nothing behind keep this default.
   *
   * @return what was found, for the interrupted command's ack; empty when nothing was
   */
  default Optional<String> settleLeftBehind(Progress progress) throws InterruptedException {
    return Optional.empty();
  }

  /** Stops observing and releases resources; the server keeps running. */
  @Override
  void close();
}
