package io.kestra.upgrade.coordinator.upgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.common.UpgradeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rollback of {@link TestRuns#oneOfEachTo100} (executor, worker, scheduler, webserver, indexer;
 * the executor backs up and migrates) with the default policy, ROLLBACK.
 */
class RollbackTest {

  private static final String EXECUTOR = "prod/executor/executor-1";
  private static final String WORKER = "prod/worker/worker-1";
  private static final String SCHEDULER = "prod/scheduler/scheduler-1";
  private static final String WEBSERVER = "prod/webserver/webserver-1";
  private static final String INDEXER = "prod/indexer/indexer-1";

  private final AtomicInteger ids = new AtomicInteger();
  private final UpgradeMachine machine = new UpgradeMachine(() -> "id-" + ids.incrementAndGet());
  private final List<UpgradeEvent> events = new ArrayList<>();
  private Instant now = Instant.parse("2026-11-25T10:00:00Z");
  private UpgradeRun run;

  @BeforeEach
  void newRun() {
    run = TestRuns.oneOfEachTo100(now);
  }

  @Test
  void aFailedDrainStartsWhatStoppedAgainOnThePreviousVersionWithoutARestore() {
    List<Command> out = runUntil(c -> c.type() == CommandType.STOP && c.agentId().equals(WORKER));

    List<Command> rollback = answer(failed(out.get(0), FailureReason.STOP_FAILED));

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    assertThat(rollback)
        .as("the worker's stop did not end cleanly: it may still drain")
        .extracting(Command::type, Command::agentId)
        .containsExactly(tuple(CommandType.STOP, WORKER));
    List<Command> sent = succeedToTheEnd(rollback);

    assertThat(sent)
        .extracting(Command::type, Command::agentId, Command::targetVersion)
        .containsExactly(
            tuple(CommandType.START, WORKER, "0.21.4"),
            tuple(CommandType.START, SCHEDULER, "0.21.4"),
            tuple(CommandType.START, EXECUTOR, "0.21.4"),
            tuple(CommandType.PING, EXECUTOR, "0.21.4"),
            tuple(CommandType.PING, INDEXER, "0.21.4"),
            tuple(CommandType.PING, SCHEDULER, "0.21.4"),
            tuple(CommandType.PING, WEBSERVER, "0.21.4"),
            tuple(CommandType.PING, WORKER, "0.21.4"));
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLED_BACK);
    assertThat(run.status().reason()).isEqualTo(FailureReason.STOP_FAILED);
    assertThat(run.status().message())
        .startsWith("rolled back to 0.21.4 after: STOP on " + WORKER + " failed");
    assertThat(run.steps()).noneMatch(s -> s.plan().type() == CommandType.RESTORE);
    assertThat(types())
        .containsSubsequence(
            "io.kestra.upgrade.upgrade.rolling_back",
            "io.kestra.upgrade.rollback.started",
            "io.kestra.upgrade.rollback.succeeded",
            "io.kestra.upgrade.upgrade.rolled_back");
    assertThat(event("io.kestra.upgrade.rollback.started").message())
        .contains("the schema was not migrated, nothing is restored");
  }

  @Test
  void aFailedStartAfterTheMigrationRestoresTheFirstBackupAfterASecondOne() {
    List<Command> out = runUntil(c -> c.type() == CommandType.START && c.agentId().equals(WORKER));

    List<Command> check = answer(failed(out.get(0), FailureReason.LAUNCHER_MISSING));
    assertThat(check)
        .as("the first backup is checked before anything stops for it")
        .extracting(Command::type, c -> c.params().get(Command.PARAM_CHECK_ONLY))
        .containsExactly(tuple(CommandType.RESTORE, "true"));
    List<Command> stops = succeedAll(check);

    assertThat(stops)
        .as("whatever may run stops: on the target, or the old webserver on a migrated schema")
        .extracting(Command::type, Command::agentId)
        .containsExactly(
            tuple(CommandType.STOP, INDEXER),
            tuple(CommandType.STOP, WEBSERVER),
            tuple(CommandType.STOP, WORKER));
    List<Command> backup = succeedAll(stops);
    assertThat(backup)
        .extracting(
            Command::type, Command::agentId, c -> c.params().get(Command.PARAM_KEEP_BACKUPS))
        .as("the second backup's retention keeps the first")
        .containsExactly(tuple(CommandType.BACKUP, EXECUTOR, "b-1"));
    List<Command> restore = succeedAll(backup);
    assertThat(restore)
        .extracting(
            Command::type,
            c -> c.params().get(Command.PARAM_BACKUP_ID),
            c -> c.params().get(Command.PARAM_COMPARE_WITH))
        .as("the first backup restored, its agent told the second to count what it drops")
        .containsExactly(tuple(CommandType.RESTORE, "b-1", "b-2"));
    List<Command> rest = succeedToTheEnd(restore);

    assertThat(rest)
        .filteredOn(c -> c.type() == CommandType.START)
        .extracting(Command::agentId, Command::targetVersion)
        .containsExactly(
            tuple(WEBSERVER, "0.21.4"),
            tuple(INDEXER, "0.21.4"),
            tuple(WORKER, "0.21.4"),
            tuple(SCHEDULER, "0.21.4"),
            tuple(EXECUTOR, "0.21.4"));
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLED_BACK);
    assertThat(run.status().backupId()).as("the first backup stays the upgrade's").isEqualTo("b-1");
    assertThat(event("io.kestra.upgrade.rollback.started").message())
        .contains("backup b-1 is restored after a second backup");
    assertThat(phases(Phase.ROLLBACK_BACKUP))
        .extracting(StepRun::state)
        .containsOnly(StepState.SUCCEEDED);
  }

  @Test
  void aRestoreThatFailsHaltsTheRollbackAndSaysWhereEverythingStands() {
    List<Command> out = runUntil(c -> c.type() == CommandType.START && c.agentId().equals(WORKER));
    List<Command> restore =
        succeedAll(succeedAll(succeedAll(answer(failed(out.get(0), FailureReason.NOT_READY)))));
    assertThat(restore).extracting(Command::type).containsExactly(CommandType.RESTORE);

    List<Command> after = answer(failed(restore.get(0), FailureReason.CHECKSUM_MISMATCH));

    assertThat(after).as("nothing starts on a schema that was not restored").isEmpty();
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLBACK_FAILED);
    assertThat(phases(Phase.ROLLBACK_START))
        .extracting(StepRun::state)
        .containsOnly(StepState.SKIPPED);
    assertThat(run.status().message())
        .contains("the rollback failed: RESTORE on " + EXECUTOR + " failed")
        .contains(WORKER + " last seen STOPPED 0.21.4 (not ready)")
        .contains("first b-1 (sha256 cafe, /backups/b-1.dump)")
        .contains("second b-2 (sha256 cafe, /backups/b-2.dump)");
    assertThat(event("io.kestra.upgrade.rollback.failed").message()).contains("backups: first b-1");
  }

  @Test
  void aServerThatDoesNotStartAgainDoesNotKeepTheOthersDown() {
    List<Command> out = runUntil(c -> c.type() == CommandType.STOP && c.agentId().equals(WORKER));
    List<Command> starts = succeedAll(answer(failed(out.get(0), FailureReason.STOP_FAILED)));
    assertThat(starts).extracting(Command::agentId).containsExactly(WORKER);

    succeedToTheEnd(answer(failed(starts.get(0), FailureReason.START_FAILED)));

    assertThat(phases(Phase.ROLLBACK_START))
        .extracting(s -> s.plan().agentId(), StepRun::state)
        .containsExactly(
            tuple(WORKER, StepState.FAILED),
            tuple(SCHEDULER, StepState.SUCCEEDED),
            tuple(EXECUTOR, StepState.SUCCEEDED));
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLBACK_FAILED);
    assertThat(run.status().message())
        .contains("the rollback failed: START on " + WORKER + " failed")
        .contains(EXECUTOR + " last seen RUNNING 0.21.4 (ready)");
  }

  @Test
  void theRollbackWaitsForTheStepsInFlightBesideTheFailure() {
    List<Command> quiesce =
        runUntil(c -> c.type() == CommandType.STOP && c.agentId().equals(EXECUTOR));
    assertThat(quiesce).extracting(Command::agentId).containsExactly(EXECUTOR, SCHEDULER);

    assertThat(answer(failed(quiesce.get(0), FailureReason.STOP_FAILED))).isEmpty();
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    List<Command> rollback = succeedAll(quiesce.subList(1, 2));

    assertThat(rollback)
        .extracting(Command::type, Command::agentId)
        .containsExactly(tuple(CommandType.STOP, EXECUTOR));
  }

  @Test
  void aFailureBeforeAnyServerWasTouchedIsFailedWithNothingToRollBack() {
    List<Command> prepares = machine.start(run, now).commands();

    answer(failed(prepares.get(1), FailureReason.LAUNCHER_MISSING));

    assertThat(run.state()).isEqualTo(UpgradeState.FAILED);
    assertThat(run.steps()).noneMatch(s -> s.plan().phase().isRollback());
  }

  @Test
  void aLostAgentFailsTheRollbackWithoutLoopingAndKeepsNoOtherServerDown() {
    List<Command> out = runUntil(c -> c.type() == CommandType.STOP && c.agentId().equals(WORKER));
    List<Command> next = new ArrayList<>(answer(failed(out.get(0), FailureReason.STOP_FAILED)));
    int steps = run.steps().size();

    while (!next.isEmpty()) {
      now = now.plusSeconds(1);
      next.addAll(record(machine.onSweep(run, Set.of(WORKER), now)));
      next =
          new ArrayList<>(
              succeedAll(next.stream().filter(c -> !c.agentId().equals(WORKER)).toList()));
    }

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLBACK_FAILED);
    assertThat(run.steps()).as("never a second rollback").hasSize(steps);
    assertThat(phases(Phase.ROLLBACK_START))
        .extracting(s -> s.plan().agentId(), s -> s.progress().reason())
        .containsExactly(
            tuple(WORKER, FailureReason.AGENT_LOST), tuple(SCHEDULER, null), tuple(EXECUTOR, null));
    assertThat(run.status().message()).contains(EXECUTOR + " last seen RUNNING 0.21.4 (ready)");
  }

  @Test
  void anAgentLostMidDrainStartsTheRollbackFromTheSweepItself() {
    runUntil(c -> c.type() == CommandType.STOP && c.agentId().equals(WORKER));

    now = now.plusSeconds(1);
    List<Command> rollback = record(machine.onSweep(run, Set.of(WORKER), now));

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    assertThat(run.steps()).anyMatch(s -> s.plan().phase() == Phase.ROLLBACK_START);
    assertThat(rollback)
        .extracting(Command::type, Command::agentId)
        .containsExactly(tuple(CommandType.STOP, WORKER));
  }

  @Test
  void aFirstBackupThatIsGoneFailsTheRollbackBeforeAnythingStops() {
    List<Command> out = runUntil(c -> c.type() == CommandType.START && c.agentId().equals(WORKER));
    List<Command> check = answer(failed(out.get(0), FailureReason.LAUNCHER_MISSING));

    List<Command> after = answer(failed(check.get(0), FailureReason.BACKUP_NOT_FOUND));

    assertThat(after).isEmpty();
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLBACK_FAILED);
    assertThat(phases(Phase.ROLLBACK_STOP))
        .extracting(StepRun::state)
        .containsOnly(StepState.SKIPPED);
    assertThat(run.status().message()).contains("the rollback failed: RESTORE on " + EXECUTOR);
  }

  /** Starts the upgrade and succeeds every command until one matches; returns its group's. */
  private List<Command> runUntil(Predicate<Command> stop) {
    List<Command> commands = record(machine.start(run, now));
    while (commands.stream().noneMatch(stop)) {
      commands = succeedAll(commands);
      assertThat(commands).as("the upgrade reaches the command looked for").isNotEmpty();
    }
    List<Command> group = new ArrayList<>(commands.stream().filter(stop).toList());
    commands.stream().filter(stop.negate()).forEach(group::add);
    return group;
  }

  /** Succeeds these commands and every one they lead to; returns those they led to. */
  private List<Command> succeedToTheEnd(List<Command> commands) {
    List<Command> sent = new ArrayList<>(commands);
    List<Command> next = commands;
    while (!next.isEmpty()) {
      next = succeedAll(next);
      sent.addAll(next);
    }
    return sent.subList(commands.size(), sent.size());
  }

  private List<Command> succeedAll(List<Command> commands) {
    List<Command> next = new ArrayList<>();
    for (Command c : commands) {
      now = now.plusSeconds(1);
      Map<String, String> result =
          c.type() == CommandType.BACKUP
              ? Map.of(
                  Ack.RESULT_BACKUP_ID,
                  "b-" + (backups() + 1),
                  Ack.RESULT_BACKUP_SHA256,
                  "cafe",
                  Ack.RESULT_BACKUP_LOCATION,
                  "/backups/b-" + (backups() + 1) + ".dump")
              : Map.of();
      next.addAll(answer(ack(c, AckStatus.SUCCEEDED, null, success(c), result)));
    }
    return next;
  }

  private long backups() {
    return run.steps().stream()
        .filter(s -> s.plan().type() == CommandType.BACKUP && s.state() == StepState.SUCCEEDED)
        .count();
  }

  private List<Command> answer(Ack ack) {
    now = now.plusSeconds(1);
    return record(machine.onAck(run, ack, now));
  }

  private List<Command> record(Effects fx) {
    events.addAll(fx.events());
    return fx.commands();
  }

  private Ack failed(Command c, FailureReason why) {
    return ack(c, AckStatus.FAILED, why, Observed.unknown(), Map.of());
  }

  private Ack ack(
      Command c,
      AckStatus status,
      FailureReason why,
      Observed observed,
      Map<String, String> result) {
    return new Ack(
        1,
        "ack-" + ids.incrementAndGet(),
        c.commandId(),
        c.agentId(),
        status,
        why,
        why == null ? null : "it went wrong",
        observed,
        result,
        now);
  }

  private static Observed success(Command c) {
    boolean started =
        c.type() == CommandType.START
            || c.type() == CommandType.RESTART
            || c.type() == CommandType.PING;
    return started
        ? new Observed(c.targetVersion(), ComponentState.RUNNING, true, 0)
        : new Observed("0.21.4", ComponentState.STOPPED, false, 0);
  }

  private List<StepRun> phases(Phase phase) {
    return run.steps().stream().filter(s -> s.plan().phase() == phase).toList();
  }

  private List<String> types() {
    return events.stream().map(UpgradeEvent::type).toList();
  }

  private UpgradeEvent event(String type) {
    return events.stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow();
  }
}
