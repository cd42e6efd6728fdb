package io.kestra.upgrade.coordinator.upgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.plan.Fleets;
import io.kestra.upgrade.coordinator.upgrade.plan.OnFailure;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** maintenanceMode through the machine: exited after VERIFY and on every way out. */
class MaintenanceTest {

  private static final String WEB = "prod/webserver/webserver-1";

  private final AtomicInteger ids = new AtomicInteger();
  private final UpgradeMachine machine = new UpgradeMachine(() -> "id-" + ids.incrementAndGet());
  private final Instant now = Instant.parse("2026-12-07T10:00:00Z");
  private final Answers answers =
      new Answers(machine, ids, now, "0.21.4", FailureReason.DRIVER_ERROR);

  private UpgradeRun run(OnFailure onFailure) {
    return TestRuns.of(
        Fleets.oneOfEachWithMaintenance(),
        "0.21.4",
        "1.0.0",
        Strategy.FULL_STOP,
        Fleets.maintaining(Fleets.defaults(), onFailure),
        Fleets.CATALOG,
        now);
  }

  @Test
  void aSucceededUpgradeExitsMaintenanceAfterVerifyAndBeforeFinalize() {
    UpgradeRun run = run(OnFailure.ROLLBACK);
    List<Command> next = machine.start(run, now).commands();
    List<CommandType> sent = new ArrayList<>();
    while (!next.isEmpty()) {
      next.forEach(c -> sent.add(c.type()));
      next = answer(run, next, AckStatus.SUCCEEDED);
    }

    assertThat(run.state()).isEqualTo(UpgradeState.SUCCEEDED);
    assertThat(sent.indexOf(CommandType.MAINTENANCE_ENTER))
        .isGreaterThan(sent.lastIndexOf(CommandType.PREPARE))
        .isLessThan(sent.indexOf(CommandType.STOP));
    assertThat(sent.indexOf(CommandType.MAINTENANCE_EXIT))
        .isGreaterThan(sent.lastIndexOf(CommandType.PING))
        .isLessThan(sent.indexOf(CommandType.FINALIZE));
  }

  @Test
  void aRollbackExitsMaintenanceLastAndTheUpgradesOwnExitIsNotSent() {
    UpgradeRun run = run(OnFailure.ROLLBACK);
    List<Command> drain = untilFirst(run, CommandType.STOP, 2); // PREPARE, ENTER, QUIESCE done

    List<Command> rollback = answer(run, drain, AckStatus.FAILED);
    List<CommandType> sent = new ArrayList<>();
    while (!rollback.isEmpty()) {
      rollback.forEach(c -> sent.add(c.type()));
      rollback = answer(run, rollback, AckStatus.SUCCEEDED);
    }

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLED_BACK);
    assertThat(sent).last().isEqualTo(CommandType.MAINTENANCE_EXIT);
    assertThat(run.steps())
        .filteredOn(s -> s.plan().phase() == Phase.MAINTENANCE_EXIT)
        .singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(StepState.SKIPPED));
    assertThat(run.steps())
        .filteredOn(s -> s.plan().phase() == Phase.ROLLBACK_MAINTENANCE_EXIT)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.plan().agentId()).isEqualTo(WEB);
              assertThat(s.state()).isEqualTo(StepState.SUCCEEDED);
            });
  }

  @Test
  void aFailureWithoutRollbackSendsTheExitAtOnceAndSaysSo() {
    UpgradeRun run = run(OnFailure.FAIL);
    List<Command> drain = untilFirst(run, CommandType.STOP, 2);

    List<Command> after = answer(run, drain, AckStatus.FAILED);

    assertThat(run.state()).isEqualTo(UpgradeState.FAILED);
    assertThat(after)
        .extracting(Command::type, Command::agentId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(CommandType.MAINTENANCE_EXIT, WEB));
    assertThat(run.status().message()).contains("maintenance mode exit sent to " + WEB);
    answer(run, after, AckStatus.SUCCEEDED);
    assertThat(run.state()).as("the exit's answer changes no state").isEqualTo(UpgradeState.FAILED);
    assertThat(RollbackPlanner.maintenanceMayBeOn(run)).isFalse();
  }

  @Test
  void anAbortSendsNothingButTheExit() {
    UpgradeRun run = run(OnFailure.ROLLBACK);
    untilFirst(run, CommandType.STOP, 1); // QUIESCE sent

    List<Command> after = machine.abort(run, "alice", answers.now()).commands();

    assertThat(run.state()).isEqualTo(UpgradeState.ABORTED);
    assertThat(after).extracting(Command::type).containsExactly(CommandType.MAINTENANCE_EXIT);
    assertThat(run.status().message()).contains("maintenance mode exit sent to " + WEB);
  }

  @Test
  void aRollbackThatFailsBeforeTheEndStillExitsMaintenance() {
    UpgradeRun run = run(OnFailure.ROLLBACK);
    List<Command> migrate = untilFirst(run, CommandType.MIGRATE, 1);
    // the migration fails: the rollback restores, and its first step, the backup's check, fails
    List<Command> check = answer(run, migrate, AckStatus.FAILED);
    assertThat(check).extracting(Command::type).containsExactly(CommandType.RESTORE);

    List<Command> after = answer(run, check, AckStatus.FAILED);

    assertThat(after).extracting(Command::type).containsExactly(CommandType.MAINTENANCE_EXIT);
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    answer(run, after, AckStatus.SUCCEEDED);
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLBACK_FAILED);
  }

  @Test
  void aFailedEnterRollsBackByExitingAlone() {
    UpgradeRun run = run(OnFailure.ROLLBACK);
    List<Command> enter = untilFirst(run, CommandType.MAINTENANCE_ENTER, 1);

    List<Command> after = answer(run, enter, AckStatus.FAILED);

    assertThat(after)
        .as("the enter may have switched it before failing: it is exited, nothing else is sent")
        .extracting(Command::type)
        .containsExactly(CommandType.MAINTENANCE_EXIT);
    answer(run, after, AckStatus.SUCCEEDED);
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLED_BACK);
  }

  /**
   * Starts the upgrade and answers every command SUCCEEDED until the {@code nth} group holding a
   * command of {@code type}, which it returns unanswered.
   */
  private List<Command> untilFirst(UpgradeRun run, CommandType type, int nth) {
    List<Command> next = machine.start(run, now).commands();
    int seen = 0;
    while (!next.isEmpty()) {
      if (next.stream().anyMatch(c -> c.type() == type) && ++seen == nth) {
        return next;
      }
      next = answer(run, next, AckStatus.SUCCEEDED);
    }
    throw new AssertionError("no " + type + " was sent");
  }

  private List<Command> answer(UpgradeRun run, List<Command> commands, AckStatus status) {
    return answers.all(run, commands, status);
  }
}
