package io.kestra.upgrade.coordinator.upgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Phase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EstimatesTest {

  private final Planner planner =
      new Planner(Fleets.TIMEOUTS, Duration.ofMinutes(5), Fleets.CATALOG);

  private Plan plan(List<FleetMember> fleet, StepHistory history) {
    return planner.plan(
        "prod",
        fleet,
        KestraVersion.parse("1.0.0"),
        Strategy.FULL_STOP,
        Fleets.defaults(),
        new ClusterHistory(Optional.empty(), history));
  }

  /** Every command of every agent took 1 s last time, but the workers' stops 30 s. */
  private static StepHistory everyStepMeasured(List<FleetMember> fleet) {
    Map<String, Duration> last = new HashMap<>();
    for (FleetMember m : fleet) {
      for (CommandType t : CommandType.values()) {
        boolean workerStop = m.kind() == ComponentKind.WORKER && t == CommandType.STOP;
        last.put(StepHistory.key(m.agentId(), t), Duration.ofSeconds(workerStop ? 30 : 1));
      }
    }
    return new StepHistory(last);
  }

  private static Estimates.PhaseEstimate phase(Estimates.PlanEstimate e, Phase p) {
    return e.phases().stream().filter(x -> x.phase() == p).findFirst().orElseThrow();
  }

  private static Estimates.Downtime server(Estimates.PlanEstimate e, String agent) {
    return e.servers().stream().filter(x -> x.agentId().equals(agent)).findFirst().orElseThrow();
  }

  @Test
  void aFirstUpgradeHasOnlyItsBoundsTheDeadlinesOfItsSteps() {
    Estimates.PlanEstimate e = plan(Fleets.oneOfEach(), StepHistory.NONE).estimate();

    assertThat(e.total().expected()).isNull();
    assertThat(e.phases()).allSatisfy(p -> assertThat(p.expected()).isNull());
    // a worker's stop: its grace period (5 min by default), the kill margin, the slack
    assertThat(phase(e, Phase.DRAIN).atMost())
        .isEqualTo(
            Duration.ofMinutes(5).plus(Duration.ofSeconds(60)).plus(Fleets.TIMEOUTS.stopSlack()));
    assertThat(e.api().atMost())
        .as("one webserver: the API is down for its restart")
        .isEqualTo(phase(e, Phase.WEBSERVER).atMost())
        .isPositive();
  }

  @Test
  void measuredStepsGiveTheExpectedPhasesAndEachServersDowntime() {
    List<FleetMember> fleet = Fleets.oneOfEach();
    Plan plan = plan(fleet, everyStepMeasured(fleet));
    Estimates.PlanEstimate e = plan.estimate();

    assertThat(phase(e, Phase.DRAIN).expected()).isEqualTo(Duration.ofSeconds(30));
    assertThat(phase(e, Phase.PREPARE).expected()).isEqualTo(Duration.ofSeconds(1));
    // 13 groups: 12 of 1 s and the drain's 30 s
    assertThat(e.total().expected()).isEqualTo(Duration.ofSeconds(42));
    // the worker: from its drain to its start, groups 3 to 9 (drain 30 s, six groups of 1 s)
    assertThat(server(e, "prod/worker/worker-1").expected()).isEqualTo(Duration.ofSeconds(36));
    // the executor: from QUIESCE (group 2) to its start, last (group 11)
    assertThat(server(e, "prod/executor/executor-1").expected()).isEqualTo(Duration.ofSeconds(39));
    assertThat(e.api().expected()).isEqualTo(Duration.ofSeconds(1));
    assertThat(plan.steps()).allSatisfy(s -> assertThat(s.estimate()).isNotNull());
  }

  @Test
  void twoWebserversRestartedOneAtATimeKeepTheApiUp() {
    List<FleetMember> fleet =
        Fleets.cluster()
            .with(
                ComponentKind.EXECUTOR,
                "e1",
                io.kestra.upgrade.common.Capability.BACKUP,
                io.kestra.upgrade.common.Capability.MIGRATE)
            .with(ComponentKind.WEBSERVER, "web1")
            .with(ComponentKind.WEBSERVER, "web2")
            .build();

    Estimates.PlanEstimate e = plan(fleet, everyStepMeasured(fleet)).estimate();

    assertThat(e.api().expected()).isEqualTo(Duration.ZERO);
    assertThat(e.api().atMost()).isEqualTo(Duration.ZERO);
    assertThat(server(e, "prod/webserver/web1").expected()).isEqualTo(Duration.ofSeconds(1));
  }
}
