package io.kestra.upgrade.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StartRequest;
import io.kestra.upgrade.agent.driver.StopMode;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.agent.testing.Commands;
import io.kestra.upgrade.agent.testing.ScriptedDriver;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Observed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each command does to the driver and what it answers, with a scripted driver. */
class CommandExecutorTest {

  private static final AgentId AGENT = AgentId.parse("prod/worker/w1");
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** When an earlier run of the agent received the commands it did not answer. */
  private static final Instant RECEIVED = NOW.minusSeconds(40);

  private final List<String> progress = new CopyOnWriteArrayList<>();
  private final Progress reports = progress::add;

  private static Command command(CommandType type, String version, Map<String, String> params) {
    return Commands.command(AGENT, type, version, params);
  }

  private Outcome execute(ScriptedDriver driver, Command command) throws InterruptedException {
    return new CommandExecutor(driver, CLOCK).execute(command, reports);
  }

  private Outcome resume(ScriptedDriver driver, Command command) throws InterruptedException {
    return new CommandExecutor(driver, CLOCK).resume(command, RECEIVED, reports);
  }

  private static void assertFailed(Outcome outcome, FailureReason reason) {
    assertThat(outcome.status()).isEqualTo(AckStatus.FAILED);
    assertThat(outcome.reason()).isEqualTo(reason);
  }

  @Test
  void pingAnswersWhatTheDriverSeesAndTouchesNothing() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4");

    Outcome outcome = execute(driver, command(CommandType.PING, null, Map.of()));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.message())
        .isEqualTo("version 0.21.4, RUNNING, ready, 0 task run(s) in flight");
    assertThat(outcome.result()).isEmpty();
    assertThat(driver.calls()).isEmpty();
  }

  @Test
  void prepareMakesTheTargetReadyWithoutTouchingTheRunningServer() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4");

    Outcome outcome = execute(driver, command(CommandType.PREPARE, "0.22.1", Map.of()));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.message()).isEqualTo("0.22.1 is ready to start");
    assertThat(driver.calls()).containsExactly("prepare");
    assertThat(driver.observe()).isEqualTo(new Observed("0.21.4", ComponentState.RUNNING, true, 0));
  }

  @Test
  void prepareOfAVersionWithoutLauncherFailsWithTheDriversReason() throws Exception {
    Outcome outcome =
        execute(new ScriptedDriver("0.21.4"), command(CommandType.PREPARE, "9.0.0", Map.of()));

    assertFailed(outcome, FailureReason.LAUNCHER_MISSING);
    assertThat(outcome.message()).isEqualTo("no launcher for 9.0.0");
  }

  @Test
  void startRunsTheTargetVersionUntilReadyWithTheCommandsTimeoutAndGracePeriod() throws Exception {
    ScriptedDriver driver = new ScriptedDriver(null);

    Outcome outcome =
        execute(
            driver,
            command(
                CommandType.START,
                "0.22.1",
                Map.of(Command.PARAM_TIMEOUT, "PT2M", Command.PARAM_GRACE_PERIOD, "PT30S")));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.message()).isEqualTo("running 0.22.1 and ready");
    assertThat(driver.startRequests())
        .containsExactly(
            new StartRequest(
                Optional.of(Duration.ofMinutes(2)), Optional.of(Duration.ofSeconds(30))));
    assertThat(driver.observe()).isEqualTo(new Observed("0.22.1", ComponentState.RUNNING, true, 0));
    assertThat(progress).containsExactly("starting 0.22.1");
  }

  @Test
  void gracefulStopReportsItsModeAndTheTasksRunningAtStop() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4").tasksAtStop(4);

    Outcome outcome =
        execute(
            driver,
            command(
                CommandType.STOP,
                null,
                Map.of(Command.PARAM_GRACE_PERIOD, "PT5M", Command.PARAM_KILL_MARGIN, "PT60S")));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.message()).isEqualTo("stopped gracefully (4 task run(s) running at stop)");
    assertThat(outcome.result())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Ack.RESULT_STOP_MODE, "graceful", Ack.RESULT_TASKS_AT_STOP, "4"));
    assertThat(driver.stopRequests())
        .containsExactly(
            new StopRequest(
                Optional.of(Duration.ofMinutes(5)), Optional.of(Duration.ofSeconds(60)), NOW));
    assertThat(driver.observe().state()).isEqualTo(ComponentState.STOPPED);
  }

  /** How a stop that did not end gracefully is reported. */
  @ParameterizedTest(name = "{0}: stopMode {1}")
  @CsvSource({
    "FORCED, forced, 'stopped, but the server forced its task runs at the end of its grace period'",
    "KILLED, killed, killed after grace period and kill margin"
  })
  void stopThatDidNotEndGracefullySaysHowItEnded(StopMode mode, String stopMode, String message)
      throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4").tasksAtStop(2).stopMode(mode);

    Outcome outcome = execute(driver, command(CommandType.STOP, null, Map.of()));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.result())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Ack.RESULT_STOP_MODE, stopMode, Ack.RESULT_TASKS_AT_STOP, "2"));
    assertThat(outcome.message()).startsWith(message);
  }

  @Test
  void stopWithNothingRunningSucceedsAsNone() throws Exception {
    Outcome outcome = execute(new ScriptedDriver(null), command(CommandType.STOP, null, Map.of()));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.result())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(Ack.RESULT_STOP_MODE, "none", Ack.RESULT_TASKS_AT_STOP, "0"));
  }

  @Test
  void drainingStopReportsTheTasksStillRunningAsProgress() throws Exception {
    ScriptedDriver driver =
        new ScriptedDriver("0.21.4").tasksAtStop(3).workTime(Duration.ofMillis(300));

    execute(driver, command(CommandType.STOP, null, Map.of()));

    assertThat(progress)
        .containsExactly(
            "stopping: 3 task run(s) still running",
            "stopping: 2 task run(s) still running",
            "stopping: 1 task run(s) still running");
  }

  @Test
  void restartPreparesTheTargetThenStopsThenStartsItAndSaysHowTheStopEnded() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4").tasksAtStop(2);

    Outcome outcome =
        execute(
            driver, command(CommandType.RESTART, "0.22.1", Map.of(Command.PARAM_TIMEOUT, "PT1M")));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.message())
        .isEqualTo("stopped gracefully (2 task run(s) running at stop); running 0.22.1 and ready");
    assertThat(outcome.result()).containsEntry(Ack.RESULT_STOP_MODE, "graceful");
    assertThat(driver.calls()).containsExactly("prepare", "stop", "start");
    assertThat(driver.startRequests().get(0).readinessTimeout()).contains(Duration.ofMinutes(1));
    assertThat(driver.observe()).isEqualTo(new Observed("0.22.1", ComponentState.RUNNING, true, 0));
  }

  @Test
  void restartWithMinHealthyAnswersOnlyOnceTheServerStayedReadyThatLong() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("1.0.0");

    long before = System.nanoTime();
    Outcome outcome =
        execute(
            driver,
            command(CommandType.RESTART, "1.0.1", Map.of(Command.PARAM_MIN_HEALTHY, "PT0.6S")));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThan(Duration.ofMillis(600));
    assertThat(outcome.message())
        .isEqualTo(
            "stopped gracefully (0 task run(s) running at stop); running 1.0.1 and ready, and"
                + " stayed ready for PT0.6S");
  }

  @Test
  void restartedServerThatFailsWithinMinHealthyFailsTheStepNotReady() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("1.0.0").crashesAfterStart(2);

    Outcome outcome =
        execute(
            driver,
            command(CommandType.RESTART, "1.0.1", Map.of(Command.PARAM_MIN_HEALTHY, "PT30S")));

    assertFailed(outcome, FailureReason.NOT_READY);
    assertThat(outcome.message())
        .startsWith("started on 1.0.1 and ready, but ")
        .contains(
            "version 1.0.1, FAILED, not ready", "(crashed)", "within its minHealthy of PT30S");
  }

  @Test
  void aRestartInstallsItsConfigurationFileBetweenTheStopAndTheStartAndARollbackPutsItBack()
      throws Exception {
    ScriptedDriver driver = new ScriptedDriver("1.0.0");

    Outcome upgraded =
        execute(
            driver,
            command(CommandType.RESTART, "1.0.1", Map.of(Command.PARAM_CONFIG_FILE, "new: yes\n")));
    assertThat(upgraded.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(upgraded.message()).contains("; new configuration file installed; running 1.0.1");
    assertThat(driver.calls()).containsExactly("prepare", "stop", "installConfig", "start");
    assertThat(driver.config()).isEqualTo("new: yes\n");

    Outcome rolledBack =
        execute(
            driver,
            command(CommandType.START, "1.0.0", Map.of(Command.PARAM_RESTORE_CONFIG, "true")));
    assertThat(rolledBack.message())
        .isEqualTo("previous configuration file put back; running 1.0.0 and ready");
    assertThat(driver.config()).isEqualTo("original");
    Outcome again =
        execute(
            driver,
            command(CommandType.START, "1.0.0", Map.of(Command.PARAM_RESTORE_CONFIG, "true")));
    assertThat(again.message()).startsWith("no configuration file to put back; ");
  }

  @Test
  void restartToAVersionThatCannotBePreparedLeavesTheRunningServerAlone() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4");

    Outcome outcome = execute(driver, command(CommandType.RESTART, "9.0.0", Map.of()));

    assertFailed(outcome, FailureReason.LAUNCHER_MISSING);
    assertThat(driver.calls()).containsExactly("prepare");
    assertThat(driver.observe().state()).isEqualTo(ComponentState.RUNNING);
  }

  @Test
  void migrateRunsTheMigrationOfTheTargetVersion() throws Exception {
    ScriptedDriver driver = new ScriptedDriver(null);

    Outcome outcome = execute(driver, command(CommandType.MIGRATE, "1.0.0", Map.of()));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.message()).isEqualTo("database migrated with 1.0.0");
    assertThat(outcome.result()).isEmpty();
    assertThat(progress).containsExactly("migrating with 1.0.0");
  }

  @Test
  void backupAnswersTheBackupIdItsSizeItsChecksumAndWhereItIs() throws Exception {
    Outcome outcome =
        execute(new ScriptedDriver(null), command(CommandType.BACKUP, null, Map.of()));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.result())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Ack.RESULT_BACKUP_ID, "backup-test",
                Ack.RESULT_BACKUP_SIZE, "42",
                Ack.RESULT_BACKUP_SHA256, "ab".repeat(32),
                Ack.RESULT_BACKUP_LOCATION, "/backups/backup-test.dump"));
    assertThat(outcome.message()).isEqualTo("backup backup-test taken (42 bytes)");
  }

  @Test
  void restoreAnswersTheBackupItRestored() throws Exception {
    Outcome outcome =
        execute(
            new ScriptedDriver(null),
            command(CommandType.RESTORE, null, Map.of(Command.PARAM_BACKUP_ID, "backup-7")));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.result()).containsExactlyEntriesOf(Map.of(Ack.RESULT_BACKUP_ID, "backup-7"));
    assertThat(progress).containsExactly("restoring backup-7");
  }

  @Test
  void aRestoreToldTheLaterBackupSaysWhatItDropped() throws Exception {
    Outcome outcome =
        execute(
            new ScriptedDriver(null),
            command(
                CommandType.RESTORE,
                null,
                Map.of(
                    Command.PARAM_BACKUP_ID, "backup-7", Command.PARAM_COMPARE_WITH, "backup-8")));

    assertThat(outcome.result()).containsEntry(Ack.RESULT_DROPPED_EXECUTIONS, "1");
    assertThat(outcome.message())
        .isEqualTo(
            "backup backup-7 restored; 1 execution(s) of backup backup-8 are not in it (dropped by"
                + " the restore, kept in backup-8): execution-written-after-backup-7");
  }

  @Test
  void aCheckOnlyRestoreChecksTheBackupAndRestoresNothing() throws Exception {
    ScriptedDriver driver = new ScriptedDriver(null);
    Outcome outcome =
        execute(
            driver,
            command(
                CommandType.RESTORE,
                null,
                Map.of(Command.PARAM_BACKUP_ID, "backup-7", Command.PARAM_CHECK_ONLY, "true")));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.message()).isEqualTo("backup backup-7 is there and its checksum matches");
    assertThat(progress).containsExactly("checking backup-7");
  }

  /** The driver's own account of a failure reaches the coordinator as it is. */
  @ParameterizedTest(name = "{0} failing with {2}")
  @CsvSource({
    "START, start, READINESS_TIMEOUT, 1.0.0 not ready after PT2M",
    "MIGRATE, migrate, MIGRATION_FAILED, 'flyway: checksum mismatch'"
  })
  void aFailureTheDriverReportsKeepsItsReasonAndMessage(
      CommandType type, String operation, FailureReason reason, String message) throws Exception {
    ScriptedDriver driver =
        new ScriptedDriver(null).failing(operation, new DriverException(reason, message));

    Outcome outcome = execute(driver, command(type, "1.0.0", Map.of()));

    assertFailed(outcome, reason);
    assertThat(outcome.message()).isEqualTo(message);
  }

  @Test
  void anUnexpectedExceptionOfTheDriverIsADriverError() throws Exception {
    ScriptedDriver driver =
        new ScriptedDriver(null)
            .failing("backup", new IllegalStateException("pg_dump vanished from the PATH"));

    Outcome outcome = execute(driver, command(CommandType.BACKUP, null, Map.of()));

    assertFailed(outcome, FailureReason.DRIVER_ERROR);
    assertThat(outcome.message())
        .startsWith("the scripted driver failed unexpectedly")
        .contains("pg_dump vanished from the PATH");
  }

  @Test
  void aDriverThatCannotObserveItsServerFailsAPingAsADriverError() throws Exception {
    ScriptedDriver driver =
        new ScriptedDriver("0.21.4").failing("observe", new IllegalStateException("no /proc"));

    Outcome outcome = execute(driver, command(CommandType.PING, null, Map.of()));

    assertFailed(outcome, FailureReason.DRIVER_ERROR);
  }

  @Test
  void aFailureOfTheAgentsOwnCodeIsAnAgentErrorAndReachesNoDriver() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4");
    // a version the gate refuses: here the executor itself fails to read it
    Command ungated = command(CommandType.START, "latest", Map.of());

    Outcome outcome = execute(driver, ungated);

    assertFailed(outcome, FailureReason.AGENT_ERROR);
    assertThat(outcome.message()).startsWith("the agent failed while carrying out START");
    assertThat(driver.calls()).isEmpty();
  }

  @Test
  void interruptedPrepareIsSimplyRunAgain() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4");

    Outcome outcome = resume(driver, command(CommandType.PREPARE, "0.22.1", Map.of()));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(driver.calls()).containsExactly("prepare");
  }

  @Test
  void interruptedStartSucceedsWhenTheTargetRunsAndIsReadyWithoutStartingAgain() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.22.1");

    Outcome outcome = resume(driver, command(CommandType.START, "0.22.1", Map.of()));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.message())
        .isEqualTo("the agent restarted during this START; 0.22.1 runs and is ready");
    assertThat(driver.calls()).containsExactly("awaitReady");
  }

  @Test
  void interruptedRestartWhoseTargetDoesNotRunFailsAsInterruptedWithoutStartingAnything()
      throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4");

    Outcome outcome = resume(driver, command(CommandType.RESTART, "0.22.1", Map.of()));

    assertFailed(outcome, FailureReason.AGENT_INTERRUPTED);
    assertThat(outcome.message()).contains("0.22.1 is not running");
    assertThat(driver.calls()).isEmpty();
  }

  @Test
  void interruptedStopResumesWaitingWithTheKillDeadlineOfTheFirstReceipt() throws Exception {
    ScriptedDriver driver = new ScriptedDriver("0.21.4").tasksAtStop(1);

    Outcome outcome = resume(driver, command(CommandType.STOP, null, Map.of()));

    assertThat(outcome.status()).isEqualTo(AckStatus.SUCCEEDED);
    assertThat(outcome.message()).startsWith("the agent restarted during this STOP");
    assertThat(outcome.result()).containsEntry(Ack.RESULT_STOP_MODE, "graceful");
    assertThat(driver.stopRequests())
        .extracting(StopRequest::requestedAt)
        .containsExactly(RECEIVED);
  }

  @Test
  void interruptedDatabaseWorkFailsAsOutcomeUnknownWithoutRunningAgain() throws Exception {
    ScriptedDriver driver = new ScriptedDriver(null);
    List<Command> databaseWork =
        List.of(
            command(CommandType.MIGRATE, "1.0.0", Map.of()),
            command(CommandType.BACKUP, null, Map.of()),
            command(CommandType.RESTORE, null, Map.of(Command.PARAM_BACKUP_ID, "backup-7")));

    for (Command interrupted : databaseWork) {
      Outcome outcome = resume(driver, interrupted);
      assertFailed(outcome, FailureReason.AGENT_INTERRUPTED);
      assertThat(outcome.message())
          .as(interrupted.type().name())
          .contains("outcome is unknown")
          .contains("No tool of it was left running");
    }
    assertThat(driver.calls()).containsOnly("settleLeftBehind");
  }

  @Test
  void aToolLeftRunningByTheKilledAgentIsSettledFirstAndNamedInTheFailure() throws Exception {
    ScriptedDriver driver =
        new ScriptedDriver(null).leftBehind("pg_dump (pid 4242) was left running: waited for");

    Outcome outcome = resume(driver, command(CommandType.BACKUP, null, Map.of()));

    assertFailed(outcome, FailureReason.AGENT_INTERRUPTED);
    assertThat(outcome.message()).contains("pg_dump (pid 4242) was left running: waited for");
    assertThat(driver.calls()).containsExactly("settleLeftBehind");
  }
}
