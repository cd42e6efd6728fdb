package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.agent.driver.BackupResult;
import io.kestra.upgrade.agent.driver.ComponentDriver;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StartRequest;
import io.kestra.upgrade.agent.driver.StopOutcome;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Violations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a validated command through the driver and turns what happened into an {@link
 * Outcome}. Knows the meaning of each command type; knows nothing of Kafka or the journal.
 *
 * <p>Failures are told apart by whose they are: a {@link DriverException} keeps its reason, an
 * unexpected exception of the driver is {@link FailureReason#DRIVER_ERROR} (see {@link
 * DriverCalls}), and an unexpected exception of the agent's own code {@link
 * FailureReason#AGENT_ERROR}.
 */
final class CommandExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);

  /** How often a restarted server's readiness is looked at during its {@code minHealthy}. */
  private static final Duration HOLD_READY_POLL = Duration.ofMillis(250);

  private final ComponentDriver driver;
  private final DriverCalls calls;
  private final Clock clock;

  CommandExecutor(ComponentDriver driver, Clock clock) {
    this.driver = driver;
    this.calls = new DriverCalls(driver);
    this.clock = clock;
  }

  /** Runs the command. */
  Outcome execute(Command command, Progress progress) throws InterruptedException {
    return settle(command, () -> run(command, progress));
  }

  /**
   * Settles a command that an earlier run of the agent received but never answered, following
   * {@link ReconcilePolicy}.
   *
   * @param receivedAt when that earlier run received it: deadlines count from there
   */
  Outcome resume(Command command, Instant receivedAt, Progress progress)
      throws InterruptedException {
    ReconcilePolicy.Decision decision = ReconcilePolicy.decide(command.type());
    LOG.info(
        "resuming command {} ({}) of agent {}, received at {} by an earlier run: {}",
        command.commandId(),
        command.type(),
        command.agentId(),
        receivedAt,
        decision);
    return settle(
        command,
        () ->
            switch (decision) {
              case RUN_AGAIN -> run(command, progress);
              case AWAIT_TARGET_VERSION -> awaitTarget(command, receivedAt, progress);
              case AWAIT_STOP ->
                  stop(
                      command,
                      receivedAt,
                      progress,
                      "the agent restarted during this STOP and resumed waiting; ");
              case FAIL_OUTCOME_UNKNOWN -> interrupted(command, receivedAt, progress);
            });
  }

  /**
   * A MIGRATE, BACKUP or RESTORE the agent was killed in: never run again, and failed as its
   * outcome cannot be observed; a tool still running for it is waited for first, so that nothing
   * acts on the database while it works, and named.
   */
  private Outcome interrupted(Command command, Instant receivedAt, Progress progress)
      throws InterruptedException {
    String left =
        driver
            .settleLeftBehind(progress)
            .map(found -> " " + found + ".")
            .orElse(" No tool of it was left running.");
    return Outcome.failed(
        FailureReason.AGENT_INTERRUPTED,
        "the agent restarted while running "
            + command.type()
            + " (received at "
            + receivedAt
            + "); its outcome is unknown and it was not run again: check before retrying."
            + left);
  }

  private Outcome run(Command command, Progress progress)
      throws DriverException, InterruptedException {
    return switch (command.type()) {
      case PING -> Outcome.succeeded(describe(calls.ask(driver::observe)));
      case PREPARE -> prepare(command);
      case START -> start(command, progress);
      case STOP -> stop(command, clock.instant(), progress, "");
      case RESTART -> restart(command, progress);
      case MIGRATE -> migrate(command, progress);
      case BACKUP -> backup(command, progress);
      case RESTORE -> restore(command, progress);
      case MAINTENANCE_ENTER, MAINTENANCE_EXIT -> maintenance(command, progress);
      case FINALIZE -> finish(command, progress);
    };
  }

  /** Work on one command that may fail through the driver. */
  @FunctionalInterface
  private interface Work {
    Outcome run() throws DriverException, InterruptedException;
  }

  private Outcome settle(Command command, Work work) throws InterruptedException {
    try {
      return work.run();
    } catch (DriverException e) {
      LOG.warn(
          "command {} ({}) of agent {} failed: {} {}",
          command.commandId(),
          command.type(),
          command.agentId(),
          e.reason(),
          e.getMessage(),
          e.getCause());
      return Outcome.failed(e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error(
          "command {} ({}) of agent {}: the agent itself failed",
          command.commandId(),
          command.type(),
          command.agentId(),
          e);
      return Outcome.failed(
          FailureReason.AGENT_ERROR,
          "the agent failed while carrying out " + command.type() + ": " + e);
    }
  }

  private Outcome awaitTarget(Command command, Instant receivedAt, Progress progress)
      throws DriverException, InterruptedException {
    KestraVersion version = version(command);
    if (!calls.ask(() -> driver.isRunning(version))) {
      return Outcome.failed(
          FailureReason.AGENT_INTERRUPTED,
          "the agent restarted during this "
              + command.type()
              + " and "
              + version
              + " is not running: the outcome is unknown and nothing was started again");
    }
    Optional<Duration> timeout = timeout(command);
    calls.order(() -> driver.awaitReady(version, timeout, receivedAt, progress));
    return Outcome.succeeded(
        "the agent restarted during this "
            + command.type()
            + "; "
            + version
            + " runs and is ready");
  }

  private Outcome prepare(Command command) throws DriverException, InterruptedException {
    KestraVersion version = version(command);
    calls.order(() -> driver.prepare(version));
    return Outcome.succeeded(version + " is ready to start");
  }

  private Outcome start(Command command, Progress progress)
      throws DriverException, InterruptedException {
    KestraVersion version = version(command);
    StartRequest request = startRequest(command);
    String config = configure(command);
    calls.order(() -> driver.start(version, request, progress));
    return Outcome.succeeded(config + "running " + version + " and ready");
  }

  /**
   * Installs the command's new configuration file, or puts back the one an earlier command
   * replaced, before the server starts; says what it did (or nothing).
   */
  private String configure(Command command) throws DriverException, InterruptedException {
    String content = command.params().get(Command.PARAM_CONFIG_FILE);
    if (content != null) {
      calls.order(() -> driver.installConfig(content));
      return "new configuration file installed; ";
    }
    if (Boolean.parseBoolean(command.params().get(Command.PARAM_RESTORE_CONFIG))) {
      return calls.ask(driver::restoreConfig)
          ? "previous configuration file put back; "
          : "no configuration file to put back; ";
    }
    return "";
  }

  private Outcome stop(Command command, Instant requestedAt, Progress progress, String prefix)
      throws DriverException, InterruptedException {
    StopRequest request = stopRequest(command, requestedAt);
    StopOutcome outcome = calls.ask(() -> driver.stop(request, progress));
    return Outcome.succeeded(prefix + describe(outcome), stopResult(outcome));
  }

  private Outcome restart(Command command, Progress progress)
      throws DriverException, InterruptedException {
    KestraVersion version = version(command);
    // the target must be startable before the running server is touched
    calls.order(() -> driver.prepare(version));
    StopRequest stop = stopRequest(command, clock.instant());
    StartRequest start = startRequest(command);
    StopOutcome stopped = calls.ask(() -> driver.stop(stop, progress));
    String config = configure(command);
    calls.order(() -> driver.start(version, start, progress));
    Optional<Duration> minHealthy = command.durationParam(Command.PARAM_MIN_HEALTHY);
    if (minHealthy.isPresent() && !minHealthy.get().isZero()) {
      holdReady(version, minHealthy.get(), progress);
    }
    return Outcome.succeeded(
        describe(stopped)
            + "; "
            + config
            + "running "
            + version
            + " and ready"
            + minHealthy
                .filter(d -> !d.isZero())
                .map(d -> ", and stayed ready for " + d)
                .orElse(""),
        stopResult(stopped));
  }

  /**
   * Watches a server just started for {@code minHealthy}: it must keep running {@code version} and
   * stay ready all along, as Kubernetes' {@code minReadySeconds} asks of a new pod before the
   * rollout goes on.
   */
  private void holdReady(KestraVersion version, Duration minHealthy, Progress progress)
      throws DriverException, InterruptedException {
    // the monotonic clock: a soak measured on the wall clock would stretch or shrink with it
    long start = System.nanoTime();
    long length = minHealthy.toNanos();
    progress.report("ready on " + version + "; watching it stay ready for " + minHealthy);
    while (true) {
      Observed seen = calls.ask(driver::observe);
      long elapsed = System.nanoTime() - start;
      if (KestraVersion.tryParse(seen.version()).filter(version::equals).isEmpty()
          || !seen.ready()) {
        throw new DriverException(
            FailureReason.NOT_READY,
            "started on "
                + version
                + " and ready, but "
                + Duration.ofMillis(elapsed / 1_000_000)
                + " later: "
                + describe(seen)
                + (seen.problem() == null ? "" : " (" + seen.problem() + ")")
                + ", within its minHealthy of "
                + minHealthy);
      }
      if (elapsed >= length) {
        return;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(
          Math.min(HOLD_READY_POLL.toNanos(), length - elapsed));
    }
  }

  private Outcome migrate(Command command, Progress progress)
      throws DriverException, InterruptedException {
    KestraVersion version = version(command);
    Optional<Duration> timeout = timeout(command);
    calls.order(() -> driver.migrate(version, timeout, progress));
    return Outcome.succeeded("database migrated with " + version);
  }

  private Outcome backup(Command command, Progress progress)
      throws DriverException, InterruptedException {
    Optional<Duration> timeout = timeout(command);
    Set<String> keep =
        Optional.ofNullable(command.params().get(Command.PARAM_KEEP_BACKUPS))
            .map(ids -> java.util.Arrays.stream(ids.split(",")).map(String::strip))
            .map(
                ids -> ids.filter(id -> !id.isEmpty()).collect(java.util.stream.Collectors.toSet()))
            .orElse(Set.of());
    BackupResult backup = calls.ask(() -> driver.backup(timeout, keep, progress));
    return Outcome.succeeded(
        "backup " + backup.backupId() + " taken (" + backup.sizeBytes() + " bytes)",
        Map.of(
            Ack.RESULT_BACKUP_ID, backup.backupId(),
            Ack.RESULT_BACKUP_SIZE, Long.toString(backup.sizeBytes()),
            Ack.RESULT_BACKUP_SHA256, backup.sha256(),
            Ack.RESULT_BACKUP_LOCATION, shortLocation(backup.location())));
  }

  /** A location short enough for an ack's result (an over-long path keeps its end). */
  static String shortLocation(String location) {
    int max = Violations.MAX_SHORT;
    return location.length() <= max
        ? location
        : "…" + location.substring(location.length() - max + 1);
  }

  private Outcome restore(Command command, Progress progress)
      throws DriverException, InterruptedException {
    String backupId = command.params().get(Command.PARAM_BACKUP_ID);
    if (Boolean.parseBoolean(command.params().get(Command.PARAM_CHECK_ONLY))) {
      calls.order(() -> driver.checkBackup(backupId, progress));
      return Outcome.succeeded(
          "backup " + backupId + " is there and its checksum matches",
          Map.of(Ack.RESULT_BACKUP_ID, backupId));
    }
    Optional<Duration> timeout = timeout(command);
    Optional<String> compareWith =
        Optional.ofNullable(command.params().get(Command.PARAM_COMPARE_WITH));
    Optional<List<String>> dropped =
        calls.ask(() -> driver.restore(backupId, compareWith, timeout, progress));
    if (dropped.isEmpty()) {
      return Outcome.succeeded(
          "backup " + backupId + " restored", Map.of(Ack.RESULT_BACKUP_ID, backupId));
    }
    List<String> ids = dropped.get();
    return Outcome.succeeded(
        Violations.clipMessage(
            "backup "
                + backupId
                + " restored; "
                + ids.size()
                + " execution(s) of backup "
                + compareWith.get()
                + " are not in it (dropped by the restore, kept in "
                + compareWith.get()
                + ")"
                + (ids.isEmpty()
                    ? ""
                    : ": " + String.join(", ", ids.subList(0, Math.min(100, ids.size()))))),
        Map.of(
            Ack.RESULT_BACKUP_ID,
            backupId,
            Ack.RESULT_DROPPED_EXECUTIONS,
            Integer.toString(ids.size())));
  }

  private Outcome maintenance(Command command, Progress progress)
      throws DriverException, InterruptedException {
    boolean enter = command.type() == CommandType.MAINTENANCE_ENTER;
    String details = calls.ask(() -> driver.maintenance(enter, progress));
    return Outcome.succeeded(
        Violations.clipMessage(
            (enter ? "maintenance mode entered" : "maintenance mode exited")
                + (details.isEmpty() ? "" : " " + details)));
  }

  private Outcome finish(Command command, Progress progress)
      throws DriverException, InterruptedException {
    KestraVersion version = version(command);
    boolean record = Boolean.parseBoolean(command.params().get(Command.PARAM_RECORD_VERSION));
    String done = calls.ask(() -> driver.finish(version, record, progress));
    return Outcome.succeeded(Violations.clipMessage(done));
  }

  private static KestraVersion version(Command command) {
    // validated by the gate before the command got here
    return KestraVersion.parse(command.targetVersion());
  }

  private static Optional<Duration> timeout(Command command) {
    return command.durationParam(Command.PARAM_TIMEOUT);
  }

  private static StartRequest startRequest(Command command) {
    return new StartRequest(timeout(command), command.durationParam(Command.PARAM_GRACE_PERIOD));
  }

  private static StopRequest stopRequest(Command command, Instant requestedAt) {
    return new StopRequest(
        command.durationParam(Command.PARAM_GRACE_PERIOD),
        command.durationParam(Command.PARAM_KILL_MARGIN),
        requestedAt);
  }

  private static Map<String, String> stopResult(StopOutcome outcome) {
    return Map.of(
        Ack.RESULT_STOP_MODE, outcome.mode().wireName(),
        Ack.RESULT_TASKS_AT_STOP, Integer.toString(outcome.tasksAtStop()));
  }

  private static String describe(StopOutcome outcome) {
    return switch (outcome.mode()) {
      case NONE -> "nothing was running";
      case GRACEFUL ->
          "stopped gracefully (" + outcome.tasksAtStop() + " task run(s) running at stop)";
      case FORCED ->
          "stopped, but the server forced its task runs at the end of its grace period ("
              + outcome.tasksAtStop()
              + " running at stop)";
      case KILLED ->
          "killed after grace period and kill margin ("
              + outcome.tasksAtStop()
              + " task run(s) running at stop)";
    };
  }

  private static String describe(Observed observed) {
    return "version "
        + observed.version()
        + ", "
        + observed.state()
        + (observed.ready() ? ", ready" : ", not ready")
        + ", "
        + observed.inFlightTasks()
        + " task run(s) in flight";
  }
}
