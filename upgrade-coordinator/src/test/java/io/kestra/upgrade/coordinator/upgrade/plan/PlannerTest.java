package io.kestra.upgrade.coordinator.upgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Phase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {

  private final Planner planner =
      new Planner(Fleets.TIMEOUTS, Duration.ofMinutes(5), Fleets.CATALOG);
  private final KestraVersion target = KestraVersion.parse("1.0.0");

  private Plan plan(List<FleetMember> fleet) {
    return planner.plan("prod", fleet, target, Strategy.FULL_STOP, Fleets.defaults());
  }

  @Test
  void oneOfEachFollowsTheGuidesOrder() {
    Plan plan = plan(Fleets.oneOfEach());

    assertThat(plan.isExecutable()).isTrue();
    assertThat(plan.fromVersion()).hasToString("0.21.4");
    assertThat(plan.steps())
        .extracting(PlannedStep::phase, PlannedStep::group, PlannedStep::agentId, PlannedStep::type)
        .containsExactly(
            tuple(Phase.PREPARE, 1, "prod/executor/executor-1", CommandType.PREPARE),
            tuple(Phase.PREPARE, 1, "prod/indexer/indexer-1", CommandType.PREPARE),
            tuple(Phase.PREPARE, 1, "prod/scheduler/scheduler-1", CommandType.PREPARE),
            tuple(Phase.PREPARE, 1, "prod/webserver/webserver-1", CommandType.PREPARE),
            tuple(Phase.PREPARE, 1, "prod/worker/worker-1", CommandType.PREPARE),
            tuple(Phase.QUIESCE, 2, "prod/executor/executor-1", CommandType.STOP),
            tuple(Phase.QUIESCE, 2, "prod/scheduler/scheduler-1", CommandType.STOP),
            tuple(Phase.DRAIN, 3, "prod/worker/worker-1", CommandType.STOP),
            tuple(Phase.STOP_INDEXERS, 4, "prod/indexer/indexer-1", CommandType.STOP),
            tuple(Phase.BACKUP, 5, "prod/executor/executor-1", CommandType.BACKUP),
            tuple(Phase.MIGRATE, 6, "prod/executor/executor-1", CommandType.MIGRATE),
            tuple(Phase.WEBSERVER, 7, "prod/webserver/webserver-1", CommandType.RESTART),
            tuple(Phase.START, 8, "prod/indexer/indexer-1", CommandType.START),
            tuple(Phase.START, 9, "prod/worker/worker-1", CommandType.START),
            tuple(Phase.START, 10, "prod/scheduler/scheduler-1", CommandType.START),
            tuple(Phase.START, 11, "prod/executor/executor-1", CommandType.START),
            tuple(Phase.VERIFY, 12, "prod/executor/executor-1", CommandType.PING),
            tuple(Phase.VERIFY, 12, "prod/indexer/indexer-1", CommandType.PING),
            tuple(Phase.VERIFY, 12, "prod/scheduler/scheduler-1", CommandType.PING),
            tuple(Phase.VERIFY, 12, "prod/webserver/webserver-1", CommandType.PING),
            tuple(Phase.VERIFY, 12, "prod/worker/worker-1", CommandType.PING),
            tuple(Phase.FINALIZE, 13, "prod/executor/executor-1", CommandType.FINALIZE),
            tuple(Phase.FINALIZE, 13, "prod/indexer/indexer-1", CommandType.FINALIZE),
            tuple(Phase.FINALIZE, 13, "prod/scheduler/scheduler-1", CommandType.FINALIZE),
            tuple(Phase.FINALIZE, 13, "prod/webserver/webserver-1", CommandType.FINALIZE),
            tuple(Phase.FINALIZE, 13, "prod/worker/worker-1", CommandType.FINALIZE));
    // the migrating agent, alone, records the version in the deployment's file
    assertThat(plan.steps())
        .filteredOn(s -> s.params().containsKey(Command.PARAM_RECORD_VERSION))
        .extracting(PlannedStep::phase, PlannedStep::agentId, PlannedStep::targetVersion)
        .containsExactly(tuple(Phase.FINALIZE, "prod/executor/executor-1", "1.0.0"));
  }

  @Test
  void threeWorkersDrainTogetherAndTwoWebserversRestartOneAtATime() {
    List<FleetMember> fleet =
        Fleets.cluster()
            .with(ComponentKind.EXECUTOR, "e1", Capability.BACKUP, Capability.MIGRATE)
            .with(ComponentKind.WORKER, "w1")
            .with(ComponentKind.WORKER, "w2")
            .with(ComponentKind.WORKER, "w3")
            .with(ComponentKind.SCHEDULER, "s1")
            .with(ComponentKind.WEBSERVER, "web1")
            .with(ComponentKind.WEBSERVER, "web2")
            .with(ComponentKind.INDEXER, "i1")
            .build();
    Plan plan = plan(fleet);

    List<PlannedStep> drain = plan.steps().stream().filter(s -> s.phase() == Phase.DRAIN).toList();
    assertThat(drain)
        .extracting(PlannedStep::agentId)
        .containsExactly("prod/worker/w1", "prod/worker/w2", "prod/worker/w3");
    assertThat(drain).extracting(PlannedStep::group).containsOnly(drain.get(0).group());

    List<PlannedStep> web =
        plan.steps().stream().filter(s -> s.phase() == Phase.WEBSERVER).toList();
    assertThat(web)
        .extracting(PlannedStep::agentId)
        .containsExactly("prod/webserver/web1", "prod/webserver/web2");
    assertThat(web.get(1).group()).isEqualTo(web.get(0).group() + 1);

    List<PlannedStep> startWorkers =
        plan.steps().stream()
            .filter(s -> s.phase() == Phase.START && s.agentId().contains("/worker/"))
            .toList();
    assertThat(startWorkers)
        .hasSize(3)
        .extracting(PlannedStep::group)
        .containsOnly(startWorkers.get(0).group());
  }

  @Test
  void standaloneOnlyStopsBacksUpMigratesStartsAndVerifies() {
    List<FleetMember> fleet =
        Fleets.cluster()
            .with(ComponentKind.STANDALONE, "kestra", Capability.BACKUP, Capability.MIGRATE)
            .build();
    assertThat(plan(fleet).steps())
        .extracting(PlannedStep::phase, PlannedStep::type)
        .containsExactly(
            tuple(Phase.PREPARE, CommandType.PREPARE),
            tuple(Phase.DRAIN, CommandType.STOP),
            tuple(Phase.BACKUP, CommandType.BACKUP),
            tuple(Phase.MIGRATE, CommandType.MIGRATE),
            tuple(Phase.START, CommandType.START),
            tuple(Phase.VERIFY, CommandType.PING),
            tuple(Phase.FINALIZE, CommandType.FINALIZE));
  }

  @Test
  void fleetWithoutIndexerOrSchedulerLeavesTheirStepsOut() {
    List<FleetMember> fleet =
        Fleets.cluster()
            .with(ComponentKind.EXECUTOR, "e1", Capability.MIGRATE)
            .with(ComponentKind.WORKER, "w1")
            .with(ComponentKind.WEBSERVER, "web1", Capability.BACKUP)
            .build();
    Plan plan = plan(fleet);
    assertThat(plan.steps()).extracting(PlannedStep::phase).doesNotContain(Phase.STOP_INDEXERS);
    assertThat(plan.steps())
        .filteredOn(s -> s.phase() == Phase.QUIESCE)
        .extracting(PlannedStep::agentId)
        .containsExactly("prod/executor/e1");
    assertThat(plan.steps())
        .filteredOn(s -> s.phase() == Phase.START)
        .extracting(PlannedStep::agentId)
        .containsExactly("prod/worker/w1", "prod/executor/e1");
    assertThat(plan.steps())
        .filteredOn(s -> s.type() == CommandType.BACKUP)
        .extracting(PlannedStep::agentId)
        .containsExactly("prod/webserver/web1");
  }

  @Test
  void stopCarriesGraceAndMarginAndItsDeadlineCoversBoth() {
    PlannedStep stop =
        plan(Fleets.oneOfEach()).steps().stream()
            .filter(s -> s.phase() == Phase.DRAIN)
            .findFirst()
            .orElseThrow();
    assertThat(stop.params())
        .containsEntry(Command.PARAM_GRACE_PERIOD, "PT5M")
        .containsEntry(Command.PARAM_KILL_MARGIN, "PT1M");
    assertThat(stop.timeout()).isEqualTo(Duration.ofMinutes(6).plusSeconds(30));
    assertThat(stop.targetVersion()).isNull();
  }

  @Test
  void eachServerDrainsForTheGracePeriodItReportsAndStartsWithItsOwnConfiguration() {
    List<FleetMember> fleet =
        Fleets.cluster()
            .with(ComponentKind.EXECUTOR, "e1", Capability.BACKUP, Capability.MIGRATE)
            .member(
                Fleets.member(
                    ComponentKind.WORKER, "slow", "0.21.4", true, false, Duration.ofMinutes(30)))
            .member(
                Fleets.member(
                    ComponentKind.WORKER, "quick", "0.21.4", true, false, Duration.ofSeconds(20)))
            .build();
    List<PlannedStep> steps = plan(fleet).steps();

    PlannedStep slow = step(steps, Phase.DRAIN, "prod/worker/slow");
    assertThat(slow.params()).containsEntry(Command.PARAM_GRACE_PERIOD, "PT30M");
    assertThat(slow.timeout()).isEqualTo(Duration.ofMinutes(31).plusSeconds(30));
    PlannedStep quick = step(steps, Phase.DRAIN, "prod/worker/quick");
    assertThat(quick.params()).containsEntry(Command.PARAM_GRACE_PERIOD, "PT20S");
    assertThat(quick.timeout()).isEqualTo(Duration.ofSeconds(110));
    assertThat(step(steps, Phase.QUIESCE, "prod/executor/e1").params())
        .as("an agent that reports no grace period: Kestra's default")
        .containsEntry(Command.PARAM_GRACE_PERIOD, "PT5M");
    assertThat(step(steps, Phase.START, "prod/worker/slow").params())
        .as("a server started keeps the grace period of its own configuration")
        .doesNotContainKey(Command.PARAM_GRACE_PERIOD);
  }

  @Test
  void aRequestedGracePeriodOverridesEveryServersOwnAndIsGivenToTheServersStarted() {
    List<FleetMember> fleet =
        Fleets.cluster()
            .with(ComponentKind.EXECUTOR, "e1", Capability.BACKUP, Capability.MIGRATE)
            .member(
                Fleets.member(
                    ComponentKind.WORKER, "slow", "0.21.4", true, false, Duration.ofMinutes(30)))
            .build();
    UpgradeOptions twoMinutes =
        Fleets.options(true, MigrationMode.MANUAL, Duration.ofMinutes(2), false);
    List<PlannedStep> steps =
        planner.plan("prod", fleet, target, Strategy.FULL_STOP, twoMinutes).steps();

    assertThat(step(steps, Phase.DRAIN, "prod/worker/slow").params())
        .containsEntry(Command.PARAM_GRACE_PERIOD, "PT2M");
    assertThat(step(steps, Phase.START, "prod/worker/slow").params())
        .containsEntry(Command.PARAM_GRACE_PERIOD, "PT2M");
  }

  private static PlannedStep step(List<PlannedStep> steps, Phase phase, String agentId) {
    return steps.stream()
        .filter(s -> s.phase() == phase && s.agentId().equals(agentId))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void autoMigrationAndNoBackupLeaveThosePhasesOutAndGiveStartsTheMigrationsDeadline() {
    UpgradeOptions auto = Fleets.options(false, MigrationMode.AUTO, null, false, OnFailure.FAIL);
    Plan plan = planner.plan("prod", Fleets.oneOfEach(), target, Strategy.FULL_STOP, auto);
    assertThat(plan.steps())
        .extracting(PlannedStep::phase)
        .doesNotContain(Phase.BACKUP, Phase.MIGRATE);
    // every server started on the target runs the schema migration first, which may take hours
    assertThat(plan.steps())
        .filteredOn(s -> s.type() == CommandType.START)
        .extracting(PlannedStep::timeout)
        .containsOnly(Duration.ofHours(2));
    PlannedStep restart =
        plan.steps().stream()
            .filter(s -> s.type() == CommandType.RESTART)
            .findFirst()
            .orElseThrow();
    assertThat(restart.params())
        .containsEntry(Command.PARAM_TIMEOUT, Duration.ofHours(2).minusSeconds(10).toString());
  }

  @Test
  void flavourOfTheFleetIsKept() {
    List<FleetMember> fleet =
        List.of(
            Fleets.member(
                ComponentKind.STANDALONE,
                "k",
                "0.21.4-no-plugins",
                true,
                false,
                null,
                Capability.BACKUP,
                Capability.MIGRATE));
    Plan plan = plan(fleet);
    assertThat(plan.toVersion()).hasToString("1.0.0-no-plugins");
    assertThat(plan.steps())
        .filteredOn(s -> s.type() == CommandType.START)
        .extracting(PlannedStep::targetVersion)
        .containsExactly("1.0.0-no-plugins");
  }

  @Test
  void agentBudgetLeavesTimeForTheAnswer() {
    assertThat(Planner.agentBudget(Duration.ofMinutes(5)))
        .isEqualTo(Duration.ofMinutes(5).minusSeconds(10));
    assertThat(Planner.agentBudget(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(27));
  }
}
