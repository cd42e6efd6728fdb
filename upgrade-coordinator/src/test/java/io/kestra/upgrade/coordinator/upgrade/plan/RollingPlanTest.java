package io.kestra.upgrade.coordinator.upgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.coordinator.upgrade.plan.release.Release;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollingPlanTest {

  /** 1.0.1 keeps the schema; 1.0.2 changes it, and 1.0.1 runs on it; 1.1 changes it. */
  private static final ReleaseCatalog CATALOG =
      new ReleaseCatalog(
          List.of(
              new Release("1.0", true, false, List.of(), null, null, null),
              new Release("1.0.1", false, false, List.of(), null, null, null),
              new Release("1.0.2", true, true, List.of(), null, null, null),
              new Release("1.1", true, false, List.of(), null, null, null)));

  private final Planner planner = new Planner(Fleets.TIMEOUTS, Duration.ofMinutes(5), CATALOG);

  private static List<FleetMember> fleet(String version) {
    return List.of(
        Fleets.member(
            ComponentKind.EXECUTOR,
            "e1",
            version,
            true,
            false,
            null,
            Capability.BACKUP,
            Capability.MIGRATE),
        Fleets.member(ComponentKind.WEBSERVER, "web1", version, true, false, null),
        Fleets.member(ComponentKind.WEBSERVER, "web2", version, true, false, null),
        Fleets.member(ComponentKind.WORKER, "w1", version, true, false, null),
        Fleets.member(ComponentKind.WORKER, "w2", version, true, false, null),
        Fleets.member(ComponentKind.WORKER, "w3", version, true, false, null),
        Fleets.member(ComponentKind.SCHEDULER, "s1", version, true, false, null));
  }

  private Plan plan(String from, String to, UpgradeOptions options) {
    return planner.plan("prod", fleet(from), KestraVersion.parse(to), Strategy.ROLLING, options);
  }

  private static List<String> errors(Plan plan) {
    return plan.errors().stream().map(Finding::code).toList();
  }

  @Test
  void kindByKindInBatchesOfMaxUnavailableEachServerRestartedInPlace() {
    Plan plan =
        plan(
            "1.0.0",
            "1.0.1",
            Fleets.rolling(Map.of(ComponentKind.WORKER, 2), Duration.ofSeconds(10), false));

    assertThat(plan.isExecutable()).as("%s", plan.findings()).isTrue();
    assertThat(plan.steps())
        .filteredOn(s -> s.phase() != Phase.PREPARE && s.phase() != Phase.VERIFY)
        .filteredOn(s -> s.phase() != Phase.FINALIZE)
        .extracting(PlannedStep::phase, PlannedStep::group, PlannedStep::agentId, PlannedStep::type)
        .as("no backup by default, no migration: 1.0.1 keeps the schema")
        .containsExactly(
            tuple(Phase.ROLL, 2, "prod/worker/w1", CommandType.RESTART),
            tuple(Phase.ROLL, 2, "prod/worker/w2", CommandType.RESTART),
            tuple(Phase.ROLL, 3, "prod/worker/w3", CommandType.RESTART),
            tuple(Phase.ROLL, 4, "prod/scheduler/s1", CommandType.RESTART),
            tuple(Phase.ROLL, 5, "prod/executor/e1", CommandType.RESTART),
            tuple(Phase.ROLL, 6, "prod/webserver/web1", CommandType.RESTART),
            tuple(Phase.ROLL, 7, "prod/webserver/web2", CommandType.RESTART));
    assertThat(plan.steps().get(0).phase()).isEqualTo(Phase.PREPARE);
    assertThat(plan.steps().get(plan.steps().size() - 1).phase()).isEqualTo(Phase.FINALIZE);
    PlannedStep web1 =
        plan.steps().stream()
            .filter(s -> s.agentId().equals("prod/webserver/web1"))
            .filter(s -> s.type() == CommandType.RESTART)
            .findFirst()
            .orElseThrow();
    assertThat(web1.targetVersion()).isEqualTo("1.0.1");
    assertThat(web1.params()).containsEntry(Command.PARAM_MIN_HEALTHY, "PT10S");
    // the server's grace (5 min by default) + kill margin + slack, then the start, then the soak
    assertThat(web1.timeout())
        .isEqualTo(
            Duration.ofMinutes(5)
                .plus(Duration.ofSeconds(60))
                .plus(Fleets.TIMEOUTS.stopSlack())
                .plus(Fleets.TIMEOUTS.start())
                .plus(Duration.ofSeconds(10)));
    assertThat(plan.findings()).extracting(Finding::code).contains("SCHEMA_KEPT");
  }

  @Test
  void refusedWhereTheTargetChangesTheSchemaTheOldVersionDoesNotRunOn() {
    Plan plan = plan("1.0.1", "1.1.0", Fleets.rolling(Map.of(), null, false));

    assertThat(errors(plan)).containsExactly("ROLLING_SCHEMA_CHANGE");
    assertThat(plan.steps()).isEmpty();
    assertThat(plan.errors().get(0).message())
        .isEqualTo(
            "ROLLING runs 1.0.1 and 1.1.0 side by side, but the database schema changes in 1.1"
                + " and the release catalog does not say the older version runs on it: use"
                + " FULL_STOP");
  }

  @Test
  void aPatchTheCatalogDoesNotListIsRefusedAsUnknown() {
    Plan plan = plan("1.0.0", "1.0.3", Fleets.rolling(Map.of(), null, false));

    assertThat(errors(plan)).containsExactly("ROLLING_SCHEMA_UNKNOWN");
    assertThat(plan.errors().get(0).message()).contains("no entry of 1.0.3");
  }

  @Test
  void aToleratedSchemaChangeIsMigratedFirstWhileTheOldVersionServes() {
    Plan plan = plan("1.0.1", "1.0.2", Fleets.rolling(Map.of(), null, false));

    assertThat(plan.isExecutable()).as("%s", plan.findings()).isTrue();
    assertThat(plan.findings()).extracting(Finding::code).contains("SCHEMA_TOLERATED");
    assertThat(plan.steps())
        .extracting(PlannedStep::phase)
        .containsSubsequence(Phase.PREPARE, Phase.MIGRATE, Phase.ROLL, Phase.VERIFY);
    assertThat(plan.steps())
        .filteredOn(s -> s.phase() == Phase.MIGRATE)
        .extracting(PlannedStep::agentId)
        .containsExactly("prod/executor/e1");
  }

  @Test
  void aRollingRestartKeepsTheVersionAndIsOnlyDoneWhenAskedFor() {
    Plan restart = plan("1.0.1", "1.0.1", Fleets.rolling(Map.of(), null, true));
    Plan notAsked = plan("1.0.1", "1.0.1", Fleets.rolling(Map.of(), null, false));
    Plan otherTarget = plan("1.0.0", "1.0.1", Fleets.rolling(Map.of(), null, true));

    assertThat(restart.isExecutable()).as("%s", restart.findings()).isTrue();
    assertThat(restart.steps())
        .filteredOn(s -> s.type() == CommandType.RESTART)
        .hasSize(7)
        .allSatisfy(s -> assertThat(s.targetVersion()).isEqualTo("1.0.1"));
    assertThat(restart.steps()).noneMatch(s -> s.phase() == Phase.MIGRATE);
    assertThat(errors(notAsked)).containsExactly("TARGET_EQUALS_CURRENT");
    assertThat(errors(otherTarget)).containsExactly("RESTART_CHANGES_VERSION");
    assertThat(
            errors(
                planner.plan(
                    "prod",
                    fleet("1.0.1"),
                    KestraVersion.parse("1.0.1"),
                    Strategy.FULL_STOP,
                    Fleets.rolling(Map.of(), null, true))))
        .contains("RESTART_NEEDS_ROLLING");
  }

  @Test
  void aRollingDowngradeIsRefused() {
    UpgradeOptions d = Fleets.rolling(Map.of(), null, false);
    UpgradeOptions down =
        Fleets.with(
            d,
            o -> {
              o.allowDowngrade = true;
              o.acknowledgeBreakingChanges = true;
            });

    assertThat(errors(plan("1.0.1", "1.0.0", down))).contains("ROLLING_DOWNGRADE");
  }

  @Test
  void thePlanSaysWhatPauseBeforeHoldsAndWhatItNamesInVain() {
    Plan plan =
        plan(
            "1.0.0",
            "1.0.1",
            Fleets.pausingBefore(
                Fleets.rolling(Map.of(), null, false), Phase.ROLL, Phase.WEBSERVER));

    assertThat(plan.findings())
        .filteredOn(f -> f.code().startsWith("PAUSE_BEFORE"))
        .extracting(Finding::code, Finding::severity, Finding::message)
        .containsExactly(
            tuple(
                "PAUSE_BEFORE",
                Finding.Severity.INFO,
                "the upgrade pauses before ROLL until an operator resumes it"),
            tuple(
                "PAUSE_BEFORE_ABSENT",
                Finding.Severity.WARNING,
                "this plan has no WEBSERVER phase: pauseBefore holds nothing there"));
  }
}
