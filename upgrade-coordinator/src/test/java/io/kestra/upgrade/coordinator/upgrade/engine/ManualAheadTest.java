package io.kestra.upgrade.coordinator.upgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.plan.Fleets;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** MANUAL_AHEAD through the machine: a failed migration while the old version serves. */
class ManualAheadTest {

  private final AtomicInteger ids = new AtomicInteger();
  private final UpgradeMachine machine = new UpgradeMachine(() -> "id-" + ids.incrementAndGet());
  private final Instant now = Instant.parse("2026-12-07T10:00:00Z");
  private final Answers answers =
      new Answers(machine, ids, now, "1.0.0", FailureReason.MIGRATION_FAILED);

  @Test
  void aFailedMigrationLeavesEveryServerRunningAndEndsFailedNamingTheBackup() {
    UpgradeRun run =
        TestRuns.of(
            Fleets.oneOfEachOn("1.0.0"),
            "1.0.0",
            "1.0.2",
            Strategy.FULL_STOP,
            Fleets.ahead(true),
            Fleets.AHEAD_CATALOG,
            now);
    List<Command> next = machine.start(run, now).commands();
    next = answer(run, next, AckStatus.SUCCEEDED); // PREPARE
    assertThat(next).extracting(Command::type).containsExactly(CommandType.BACKUP);
    next = answer(run, next, AckStatus.SUCCEEDED);
    assertThat(next).extracting(Command::type).containsExactly(CommandType.MIGRATE);

    List<Command> after = answer(run, next, AckStatus.FAILED);

    assertThat(after).as("no rollback: nothing was stopped").isEmpty();
    assertThat(run.state()).isEqualTo(UpgradeState.FAILED);
    assertThat(run.status().message())
        .contains("every server still runs 1.0.0", "backup b-1, taken before the migration");
    assertThat(run.steps()).noneMatch(s -> s.plan().phase().isRollback());
  }

  private List<Command> answer(UpgradeRun run, List<Command> commands, AckStatus status) {
    return answers.all(run, commands, status);
  }
}
