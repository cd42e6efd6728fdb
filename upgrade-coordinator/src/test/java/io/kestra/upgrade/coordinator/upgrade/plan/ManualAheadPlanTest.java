package io.kestra.upgrade.coordinator.upgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualAheadPlanTest {

  private final Planner planner =
      new Planner(Fleets.TIMEOUTS, Duration.ofMinutes(5), Fleets.AHEAD_CATALOG);

  private Plan plan(String to, Strategy strategy, UpgradeOptions options) {
    return planner.plan(
        "prod", Fleets.oneOfEachOn("1.0.0"), KestraVersion.parse(to), strategy, options);
  }

  @Test
  void theBackupAndTheMigrationComeFirstWhileTheOldVersionServes() {
    Plan plan = plan("1.0.2", Strategy.FULL_STOP, Fleets.ahead(true));

    assertThat(plan.isExecutable()).as("%s", plan.findings()).isTrue();
    assertThat(plan.steps().stream().map(PlannedStep::phase).distinct())
        .containsExactly(
            Phase.PREPARE,
            Phase.BACKUP,
            Phase.MIGRATE,
            Phase.QUIESCE,
            Phase.DRAIN,
            Phase.STOP_INDEXERS,
            Phase.WEBSERVER,
            Phase.START,
            Phase.VERIFY,
            Phase.FINALIZE);
    assertThat(plan.findings())
        .filteredOn(f -> f.code().equals("MANUAL_AHEAD"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .contains("while 1.0.0 serves", "runs on the schema of 1.0.2"));
  }

  @Test
  void refusedWhereTheOldVersionDoesNotRunOnTheNewSchemaWithoutABackupOrForRolling() {
    assertThat(plan("1.1.0", Strategy.FULL_STOP, Fleets.ahead(true)).errors())
        .extracting(Finding::code)
        .containsExactly("MANUAL_AHEAD_NOT_TOLERATED");
    assertThat(plan("1.0.3", Strategy.FULL_STOP, Fleets.ahead(true)).errors())
        .extracting(Finding::code)
        .as("a patch the catalog does not list")
        .containsExactly("MANUAL_AHEAD_NOT_TOLERATED");
    assertThat(plan("1.0.2", Strategy.FULL_STOP, Fleets.ahead(false)).errors())
        .extracting(Finding::code)
        .contains("MANUAL_AHEAD_NEEDS_BACKUP");
    assertThat(plan("1.0.2", Strategy.ROLLING, Fleets.ahead(true)).errors())
        .extracting(Finding::code)
        .contains("MANUAL_AHEAD_NEEDS_FULL_STOP");
  }
}
