package io.kestra.upgrade.coordinator.upgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.kestra.upgrade.coordinator.upgrade.plan.OnFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An operator's pause, resume, abort and rollback of {@link TestRuns#oneOfEachTo100}. */
class ControlsTest {

  private final AtomicInteger ids = new AtomicInteger();
  private final UpgradeMachine machine = new UpgradeMachine(() -> "id-" + ids.incrementAndGet());
  private Instant now = Instant.parse("2026-11-25T10:00:00Z");
  private UpgradeRun run;

  @BeforeEach
  void newRun() {
    run = TestRuns.oneOfEachTo100(now);
  }

  @Test
  void aPauseLetsTheStepsInFlightFinishAndSendsNothingUntilResumed() {
    List<Command> prepares = machine.start(run, now).commands();

    Effects paused = machine.pause(run, "alice", now);

    assertThat(run.state()).isEqualTo(UpgradeState.PAUSED);
    assertThat(paused.events())
        .extracting(UpgradeEvent::type)
        .containsExactly("io.kestra.upgrade.control.paused", "io.kestra.upgrade.upgrade.paused");
    assertThat(paused.events().get(0).message()).isEqualTo("paused by alice");
    assertThat(succeedAll(prepares)).as("the group done, nothing new while paused").isEmpty();
    assertThat(machine.pause(run, "bob", now).isEmpty()).as("pausing twice").isTrue();

    Effects resumed = machine.resume(run, "alice", now);

    assertThat(run.state()).isEqualTo(UpgradeState.RUNNING);
    assertThat(resumed.commands()).extracting(Command::type).containsOnly(CommandType.STOP);
    assertThat(machine.resume(run, "alice", now).isEmpty()).as("resuming twice").isTrue();
    List<Command> next = resumed.commands();
    while (!next.isEmpty()) {
      next = succeedAll(next);
    }
    assertThat(run.state()).isEqualTo(UpgradeState.SUCCEEDED);
  }

  @Test
  void aFailureWhilePausedAppliesTheFailurePolicy() {
    List<Command> prepares = succeedAll(machine.start(run, now).commands());
    machine.pause(run, "alice", now);

    machine.onAck(run, failed(prepares.get(0)), now);

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
  }

  @Test
  void anAbortSendsNothingMoreAndSaysWhereEachServerStands() {
    List<Command> quiesce = succeedAll(machine.start(run, now).commands());

    Effects aborted = machine.abort(run, "alice", now);

    assertThat(run.state()).isEqualTo(UpgradeState.ABORTED);
    assertThat(run.status().reason()).isEqualTo(FailureReason.ABORTED);
    assertThat(run.status().message()).startsWith("aborted by alice; servers: ");
    assertThat(aborted.commands()).isEmpty();
    assertThat(run.steps()).filteredOn(s -> s.state() == StepState.PENDING).isEmpty();
    assertThat(succeedAll(quiesce)).as("the steps in flight finish, nothing follows").isEmpty();
    assertThat(machine.abort(run, "bob", now).isEmpty()).isTrue();
    assertThatThrownBy(() -> machine.resume(run, "alice", now))
        .isInstanceOf(ControlRefusedException.class)
        .hasMessageContaining("it is ABORTED");
    assertThatThrownBy(() -> machine.rollback(run, false, "alice", now))
        .isInstanceOf(ControlRefusedException.class);
  }

  @Test
  void aRollbackAskedWhileRunningWaitsForTheStepsInFlightOnceAndOnlyOnce() {
    List<Command> quiesce = succeedAll(machine.start(run, now).commands());

    Effects asked = machine.rollback(run, false, "alice", now);

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    assertThat(asked.commands()).as("the stops in flight finish first").isEmpty();
    assertThat(asked.events())
        .extracting(UpgradeEvent::type)
        .startsWith("io.kestra.upgrade.rollback.requested");
    assertThat(machine.rollback(run, false, "bob", now).isEmpty()).as("never two").isTrue();
    List<Command> starts = succeedAll(quiesce);
    assertThat(starts)
        .extracting(Command::type, Command::targetVersion)
        .containsOnly(org.assertj.core.groups.Tuple.tuple(CommandType.START, "0.21.4"));
    List<Command> next = starts;
    while (!next.isEmpty()) {
      next = succeedAll(next);
    }
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLED_BACK);
    assertThat(run.status().reason()).isEqualTo(FailureReason.ROLLBACK_REQUESTED);
  }

  @Test
  void aSucceededUpgradeIsRolledBackOnlyWithTheConsentToRestore() {
    List<Command> next = machine.start(run, now).commands();
    while (!next.isEmpty()) {
      next = succeedAll(next);
    }
    assertThat(run.state()).isEqualTo(UpgradeState.SUCCEEDED);

    assertThatThrownBy(() -> machine.rollback(run, false, "alice", now))
        .isInstanceOf(ControlRefusedException.class)
        .hasMessageContaining("only restoring backup b-1 takes it back")
        .hasMessageContaining("{\"restore\": true}");
    Effects asked = machine.rollback(run, true, "alice", now);

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    assertThat(run.status().finishedAt()).as("active again").isNull();
    assertThat(run.status().message()).contains("drops what was written since");
    assertThat(asked.commands()).extracting(Command::type).containsExactly(CommandType.RESTORE);
    next = succeedAll(asked.commands());
    assertThat(next).extracting(Command::type).containsOnly(CommandType.STOP).hasSize(5);
    List<CommandType> types = new ArrayList<>();
    List<Command> finalizes = new ArrayList<>();
    while (!next.isEmpty()) {
      next = succeedAll(next);
      next.forEach(c -> types.add(c.type()));
      next.stream().filter(c -> c.type() == CommandType.FINALIZE).forEach(finalizes::add);
    }
    assertThat(types)
        .containsSubsequence(
            CommandType.BACKUP, CommandType.RESTORE, CommandType.START, CommandType.FINALIZE);
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLED_BACK);
    // the upgrade's FINALIZE recorded 1.0.0 in the deployment's file: the same agent puts 0.21.4
    assertThat(finalizes).hasSize(5).extracting(Command::targetVersion).containsOnly("0.21.4");
    assertThat(finalizes)
        .filteredOn(c -> c.params().containsKey(Command.PARAM_RECORD_VERSION))
        .extracting(Command::agentId)
        .containsExactly("prod/executor/executor-1");
  }

  @Test
  void controlsOnAnUpgradeOverAreRefusedWithItsState() {
    machine.start(run, now);
    machine.abort(run, "alice", now);

    for (Runnable control :
        List.<Runnable>of(
            () -> machine.pause(run, "a", now), () -> machine.rollback(run, true, "a", now))) {
      assertThatThrownBy(control::run)
          .isInstanceOfSatisfying(
              ControlRefusedException.class,
              e -> assertThat(e.state()).isEqualTo(UpgradeState.ABORTED));
    }
  }

  @Test
  void withThePausePolicyAFailurePausesAndResumeTriesTheFailedStepAgain() {
    run = TestRuns.oneOfEachTo100(now, OnFailure.PAUSE);
    List<Command> next = machine.start(run, now).commands();
    while (next.stream().noneMatch(c -> c.type() == CommandType.MIGRATE)) {
      next = succeedAll(next);
    }
    Command migrate = next.get(0);

    machine.onAck(run, failed(migrate), now);

    assertThat(run.state()).isEqualTo(UpgradeState.PAUSED);
    assertThat(run.status().reason())
        .as("the failure attached")
        .isEqualTo(FailureReason.STOP_FAILED);
    assertThat(run.steps()).noneMatch(s -> s.state() == StepState.SKIPPED);
    Effects resumed = machine.resume(run, "alice", now);

    assertThat(resumed.commands())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type()).isEqualTo(CommandType.MIGRATE);
              assertThat(c.commandId()).as("a new command").isNotEqualTo(migrate.commandId());
            });
    assertThat(run.status().reason()).isNull();
    assertThat(resumed.events())
        .extracting(UpgradeEvent::type)
        .contains("io.kestra.upgrade.step.retried", "io.kestra.upgrade.control.resumed");
    next = resumed.commands();
    while (!next.isEmpty()) {
      next = succeedAll(next);
    }
    assertThat(run.state()).isEqualTo(UpgradeState.SUCCEEDED);
  }

  @Test
  void withThePausePolicyAnUpgradePausedOnAFailureCanBeRolledBackOrAborted() {
    run = TestRuns.oneOfEachTo100(now, OnFailure.PAUSE);
    List<Command> quiesce = succeedAll(machine.start(run, now).commands());
    machine.onAck(run, failed(quiesce.get(0)), now);
    succeedAll(quiesce.subList(1, 2));
    assertThat(run.state()).isEqualTo(UpgradeState.PAUSED);

    List<Command> rollback = machine.rollback(run, false, "alice", now).commands();

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    assertThat(rollback).extracting(Command::type).containsExactly(CommandType.STOP);
  }

  @Test
  void withThePausePolicyAnUpgradePausedOnAFailureIsAbortedAsItStands() {
    run = TestRuns.oneOfEachTo100(now, OnFailure.PAUSE);
    List<Command> quiesce = succeedAll(machine.start(run, now).commands());
    machine.onAck(run, failed(quiesce.get(0)), now);

    Effects aborted = machine.abort(run, "alice", now);

    assertThat(run.state()).isEqualTo(UpgradeState.ABORTED);
    assertThat(aborted.commands()).isEmpty();
    assertThat(run.steps()).noneMatch(s -> s.state() == StepState.PENDING);
    assertThat(run.status().message()).startsWith("aborted by alice; servers: ");
  }

  private List<Command> succeedAll(List<Command> commands) {
    List<Command> next = new ArrayList<>();
    for (Command c : commands) {
      now = now.plusSeconds(1);
      Map<String, String> result =
          c.type() == CommandType.BACKUP ? Map.of(Ack.RESULT_BACKUP_ID, "b-1") : Map.of();
      boolean started =
          c.type() == CommandType.START
              || c.type() == CommandType.RESTART
              || c.type() == CommandType.PING;
      Observed seen =
          started
              ? new Observed(c.targetVersion(), ComponentState.RUNNING, true, 0)
              : new Observed("0.21.4", ComponentState.STOPPED, false, 0);
      next.addAll(
          machine
              .onAck(
                  run,
                  new Ack(
                      1,
                      "ack-" + ids.incrementAndGet(),
                      c.commandId(),
                      c.agentId(),
                      AckStatus.SUCCEEDED,
                      null,
                      null,
                      seen,
                      result,
                      now),
                  now)
              .commands());
    }
    return next;
  }

  private Ack failed(Command c) {
    return new Ack(
        1,
        "ack-" + ids.incrementAndGet(),
        c.commandId(),
        c.agentId(),
        AckStatus.FAILED,
        FailureReason.STOP_FAILED,
        "no",
        Observed.unknown(),
        Map.of(),
        now);
  }
}
