package io.kestra.upgrade.coordinator.upgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.plan.PlannedStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpgradeMachineTest {

  private final AtomicInteger ids = new AtomicInteger();
  private final UpgradeMachine machine = new UpgradeMachine(() -> "id-" + ids.incrementAndGet());
  private Instant now = Instant.parse("2026-11-25T10:00:00Z");
  private UpgradeRun run;

  @BeforeEach
  void newRun() {
    run = TestRuns.oneOfEachTo100(now);
  }

  private Ack ack(
      Command command, AckStatus status, Observed observed, Map<String, String> result) {
    return new Ack(
        1,
        "ack-" + ids.incrementAndGet(),
        command.commandId(),
        command.agentId(),
        status,
        status == AckStatus.FAILED ? FailureReason.MIGRATION_FAILED : null,
        status == AckStatus.FAILED ? "Validate failed" : null,
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

  private List<Command> succeedAll(List<Command> commands) {
    List<Command> next = new java.util.ArrayList<>();
    for (Command c : commands) {
      now = now.plusSeconds(1);
      Map<String, String> result =
          c.type() == CommandType.BACKUP ? Map.of(Ack.RESULT_BACKUP_ID, "b-1") : Map.of();
      next.addAll(
          machine.onAck(run, ack(c, AckStatus.SUCCEEDED, success(c), result), now).commands());
    }
    return next;
  }

  @Test
  void startSendsEveryPrepareAtOnce() {
    Effects fx = machine.start(run, now);
    assertThat(run.state()).isEqualTo(UpgradeState.RUNNING);
    assertThat(fx.commands())
        .extracting(Command::type)
        .containsOnly(CommandType.PREPARE)
        .hasSize(5);
    assertThat(fx.commands())
        .allSatisfy(c -> assertThat(c.expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(5))));
    assertThat(fx.events())
        .extracting(UpgradeEvent::type)
        .startsWith(
            "io.kestra.upgrade.upgrade.pending",
            "io.kestra.upgrade.phase.started",
            "io.kestra.upgrade.phase.succeeded",
            "io.kestra.upgrade.upgrade.running",
            "io.kestra.upgrade.phase.started",
            "io.kestra.upgrade.step.sent");
  }

  @Test
  void nextGroupIsSentOnlyWhenTheWholeGroupSucceeded() {
    List<Command> prepares = machine.start(run, now).commands();
    List<Command> afterFour = succeedAll(prepares.subList(0, 4));
    assertThat(afterFour).isEmpty();
    List<Command> quiesce = succeedAll(prepares.subList(4, 5));
    assertThat(quiesce).extracting(Command::type).containsOnly(CommandType.STOP);
    assertThat(quiesce)
        .extracting(Command::agentId)
        .containsExactly("prod/executor/executor-1", "prod/scheduler/scheduler-1");
  }

  @Test
  void wholeUpgradeSucceedsAndRecordsTheBackup() {
    List<Command> commands = machine.start(run, now).commands();
    int rounds = 0;
    while (!commands.isEmpty()) {
      commands = succeedAll(commands);
      rounds++;
    }
    assertThat(run.state()).isEqualTo(UpgradeState.SUCCEEDED);
    assertThat(run.status().backupId()).isEqualTo("b-1");
    assertThat(run.steps()).extracting(StepRun::state).containsOnly(StepState.SUCCEEDED);
    assertThat(rounds).isEqualTo(13);
  }

  @Test
  void failedAckFailsTheUpgradeWithItsReasonAndSkipsTheRest() {
    List<Command> prepares = machine.start(run, now).commands();
    Effects fx =
        machine.onAck(run, ack(prepares.get(0), AckStatus.FAILED, Observed.unknown(), null), now);
    assertThat(run.state()).isEqualTo(UpgradeState.FAILED);
    assertThat(run.status().reason()).isEqualTo(FailureReason.MIGRATION_FAILED);
    assertThat(run.status().message())
        .contains("PREPARE on prod/executor/executor-1 failed")
        .contains("Validate failed");
    assertThat(fx.commands()).isEmpty();
    assertThat(run.steps()).filteredOn(s -> s.state() == StepState.SKIPPED).hasSize(21);
    assertThat(fx.events())
        .extracting(UpgradeEvent::type)
        .last()
        .isEqualTo("io.kestra.upgrade.upgrade.failed");
  }

  @Test
  void repeatedAckChangesNothing() {
    List<Command> prepares = machine.start(run, now).commands();
    Ack done = ack(prepares.get(0), AckStatus.SUCCEEDED, success(prepares.get(0)), Map.of());
    assertThat(machine.onAck(run, done, now).isEmpty()).isFalse();
    assertThat(machine.onAck(run, done, now).isEmpty()).isTrue();
    Ack lateProgress = ack(prepares.get(0), AckStatus.PROGRESS, Observed.unknown(), Map.of());
    assertThat(machine.onAck(run, lateProgress, now).isEmpty()).isTrue();
    assertThat(run.steps().get(0).state()).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void ackFromAnotherAgentIsIgnored() {
    Command c = machine.start(run, now).commands().get(0);
    Ack forged =
        new Ack(
            1,
            "x",
            c.commandId(),
            "prod/worker/worker-1",
            AckStatus.FAILED,
            FailureReason.DRIVER_ERROR,
            null,
            Observed.unknown(),
            Map.of(),
            now);
    assertThat(machine.onAck(run, forged, now).isEmpty()).isTrue();
    assertThat(run.state()).isEqualTo(UpgradeState.RUNNING);
  }

  @Test
  void silentAgentTimesOutOnProgressDeadline() {
    machine.start(run, now);
    assertThat(machine.onSweep(run, Set.of(), now.plusSeconds(29)).isEmpty()).isTrue();
    machine.onSweep(run, Set.of(), now.plusSeconds(31));
    assertThat(run.state()).isEqualTo(UpgradeState.FAILED);
    assertThat(run.status().reason()).isEqualTo(FailureReason.NO_PROGRESS);
    assertThat(run.steps().get(0).state()).isEqualTo(StepState.TIMED_OUT);
  }

  @Test
  void progressPushesTheProgressDeadlineButNotTheStepDeadline() {
    List<Command> prepares = machine.start(run, now).commands();
    Instant started = now;
    while (run.state() == UpgradeState.RUNNING) {
      now = now.plusSeconds(20);
      for (Command c : prepares) {
        machine.onAck(run, ack(c, AckStatus.PROGRESS, Observed.unknown(), Map.of()), now);
      }
      machine.onSweep(run, Set.of(), now);
    }
    assertThat(run.status().reason()).isEqualTo(FailureReason.STEP_TIMED_OUT);
    assertThat(Duration.between(started, now)).isEqualTo(Duration.ofSeconds(320));
  }

  @Test
  void lostAgentFailsItsStep() {
    machine.start(run, now);
    machine.onSweep(run, Set.of("prod/worker/worker-1"), now.plusSeconds(1));
    assertThat(run.status().reason()).isEqualTo(FailureReason.AGENT_LOST);
  }

  @Test
  void startReportingTheOldVersionIsAVersionMismatch() {
    PlannedStep start =
        run.steps().stream()
            .map(StepRun::plan)
            .filter(s -> s.type() == CommandType.START)
            .findFirst()
            .orElseThrow();
    assertThat(
            UpgradeMachine.outcomeProblem(
                start, new Observed("0.21.4", ComponentState.RUNNING, true, 0)))
        .hasValueSatisfying(p -> assertThat(p.reason()).isEqualTo(FailureReason.VERSION_MISMATCH));
    assertThat(
            UpgradeMachine.outcomeProblem(
                start, new Observed("1.0.0", ComponentState.RUNNING, false, 0)))
        .hasValueSatisfying(p -> assertThat(p.reason()).isEqualTo(FailureReason.NOT_READY));
    assertThat(
            UpgradeMachine.outcomeProblem(
                start, new Observed("1.0.0", ComponentState.RUNNING, true, 0)))
        .isEmpty();
  }

  @Test
  void aCommandTheBrokerRefusedFailsItsStepUndeliverableAndTheUpgradeWithIt() {
    List<Command> prepares = machine.start(run, now).commands();
    Command refused = prepares.get(2);

    Effects fx =
        machine.onCommandUndeliverable(
            run,
            refused.commandId(),
            "RecordTooLargeException: The message is 2097246 bytes",
            now.plusSeconds(1));

    StepRun step = run.stepByCommand(refused.commandId()).orElseThrow();
    assertThat(step.state()).isEqualTo(StepState.FAILED);
    assertThat(step.progress().reason()).isEqualTo(FailureReason.COMMAND_UNDELIVERABLE);
    assertThat(step.progress().message())
        .isEqualTo(
            "the broker refused the command: RecordTooLargeException: The message is 2097246 bytes");
    assertThat(step.progress().startedAt()).as("never answered").isNull();
    assertThat(run.state()).isEqualTo(UpgradeState.FAILED);
    assertThat(run.status().reason()).isEqualTo(FailureReason.COMMAND_UNDELIVERABLE);
    assertThat(fx.commands()).isEmpty();
    assertThat(fx.events())
        .extracting(UpgradeEvent::type)
        .containsSubsequence(
            "io.kestra.upgrade.step.failed",
            "io.kestra.upgrade.phase.failed",
            "io.kestra.upgrade.upgrade.failed");
  }

  @Test
  void aRefusedCommandOfAStepAlreadyOverChangesNothing() {
    List<Command> prepares = machine.start(run, now).commands();
    Command done = prepares.get(0);
    machine.onAck(run, ack(done, AckStatus.SUCCEEDED, success(done), Map.of()), now);

    Effects fx = machine.onCommandUndeliverable(run, done.commandId(), "too large", now);

    assertThat(fx.isEmpty()).isTrue();
    assertThat(run.stepByCommand(done.commandId()).orElseThrow().state())
        .isEqualTo(StepState.SUCCEEDED);
    assertThat(run.state()).isEqualTo(UpgradeState.RUNNING);
  }

  @Test
  void aRefusedEventIsReportedByAnEventAndChangesNoStep() {
    machine.start(run, now);
    List<StepState> before = run.steps().stream().map(StepRun::state).toList();

    Effects fx =
        machine.onEventRefused(
            run, 42, "io.kestra.upgrade.step.progress", "RecordTooLargeException: big", now);

    assertThat(run.state()).isEqualTo(UpgradeState.RUNNING);
    assertThat(run.steps()).extracting(StepRun::state).isEqualTo(before);
    assertThat(fx.commands()).isEmpty();
    assertThat(fx.events()).hasSize(1);
    UpgradeEvent event = fx.events().get(0);
    assertThat(event.type()).isEqualTo("io.kestra.upgrade.outbox.refused");
    assertThat(event.subject()).isEqualTo("outbox/42");
    assertThat(event.upgradeId()).isEqualTo(TestRuns.UPGRADE_ID);
    assertThat(event.message())
        .isEqualTo(
            "event io.kestra.upgrade.step.progress (outbox row 42) refused by the broker:"
                + " RecordTooLargeException: big");
  }
}
