package io.kestra.upgrade.coordinator.upgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Phase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** maintenanceMode in the plan: where it is entered and exited, by whom, and when it is refused. */
class MaintenancePlanTest {

  private final Planner planner =
      new Planner(Fleets.TIMEOUTS, Duration.ofMinutes(5), Fleets.CATALOG);

  private Plan plan(List<FleetMember> fleet, Strategy strategy) {
    return planner.plan(
        "prod",
        fleet,
        KestraVersion.parse("1.0.0"),
        strategy,
        Fleets.maintaining(Fleets.defaults(), OnFailure.ROLLBACK));
  }

  @Test
  void maintenanceIsEnteredBeforeAnythingStopsAndExitedAfterVerifyByTheWebserversAgent() {
    Plan plan = plan(Fleets.oneOfEachWithMaintenance(), Strategy.FULL_STOP);

    assertThat(plan.isExecutable()).as(plan.errors().toString()).isTrue();
    assertThat(plan.steps().stream().map(PlannedStep::phase).distinct())
        .containsExactly(
            Phase.PREPARE,
            Phase.MAINTENANCE_ENTER,
            Phase.QUIESCE,
            Phase.DRAIN,
            Phase.STOP_INDEXERS,
            Phase.BACKUP,
            Phase.MIGRATE,
            Phase.WEBSERVER,
            Phase.START,
            Phase.VERIFY,
            Phase.MAINTENANCE_EXIT,
            Phase.FINALIZE);
    assertThat(plan.steps())
        .filteredOn(
            s -> s.phase() == Phase.MAINTENANCE_ENTER || s.phase() == Phase.MAINTENANCE_EXIT)
        .extracting(PlannedStep::agentId, PlannedStep::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "prod/webserver/webserver-1", CommandType.MAINTENANCE_ENTER),
            org.assertj.core.groups.Tuple.tuple(
                "prod/webserver/webserver-1", CommandType.MAINTENANCE_EXIT));
    assertThat(plan.findings())
        .filteredOn(f -> f.code().equals("MAINTENANCE"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .contains(
                        "prod/webserver/webserver-1", "every other way out", "after the backup"));
  }

  @Test
  void withoutAnAgentAbleToSwitchItMaintenanceIsRefused() {
    Plan plan = plan(Fleets.oneOfEach(), Strategy.FULL_STOP);

    assertThat(plan.isExecutable()).isFalse();
    assertThat(plan.errors()).extracting(Finding::code).containsExactly("MAINTENANCE_NO_AGENT");
    assertThat(plan.errors().get(0).message()).contains("agent.driver.maintenance.url");
  }

  @Test
  void aRollingUpgradeIsRefusedMaintenanceMode() {
    Plan plan =
        planner.plan(
            "prod",
            Fleets.oneOfEachWithMaintenance(),
            KestraVersion.parse("0.21.4"),
            Strategy.ROLLING,
            Fleets.maintaining(Fleets.rolling(java.util.Map.of(), null, true), OnFailure.ROLLBACK));

    assertThat(plan.errors()).extracting(Finding::code).contains("MAINTENANCE_NEEDS_FULL_STOP");
  }
}
