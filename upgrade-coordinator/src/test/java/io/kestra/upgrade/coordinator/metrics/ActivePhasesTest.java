package io.kestra.upgrade.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.engine.TestRuns;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeMachine;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ActivePhasesTest {

  private final AtomicInteger ids = new AtomicInteger();
  private final UpgradeMachine machine = new UpgradeMachine(() -> "id-" + ids.incrementAndGet());
  private final Instant t0 = Instant.parse("2026-12-08T10:00:00Z");

  @Test
  void aPendingUpgradeHasNoOpenPhase() {
    assertThat(ActivePhases.of(List.of(TestRuns.oneOfEachTo100(t0)))).isEmpty();
  }

  @Test
  void aStartedPhaseIsOpenFromItsFirstCommandWithItsDeadlinesAsBound() {
    UpgradeRun run = TestRuns.oneOfEachTo100(t0);
    machine.start(run, t0);

    List<ActivePhases.ActivePhase> open = ActivePhases.of(List.of(run));

    assertThat(open).hasSize(1);
    ActivePhases.ActivePhase prepare = open.get(0);
    assertThat(prepare.cluster()).isEqualTo("prod");
    assertThat(prepare.state()).isEqualTo(UpgradeState.RUNNING);
    assertThat(prepare.phase()).isEqualTo(Phase.PREPARE);
    assertThat(prepare.age(t0.plusSeconds(42))).isEqualTo(Duration.ofSeconds(42));
    assertThat(prepare.atMost()).isPositive();
  }

  @Test
  void aPhaseWhoseStepsAllEndedIsNoLongerOpenAndTheNextIs() {
    UpgradeRun run = TestRuns.oneOfEachTo100(t0);
    Instant now = t0;
    List<Command> sent = machine.start(run, now).commands();
    for (Command c : sent) {
      now = now.plusSeconds(1);
      machine.onAck(run, succeeded(c, now), now);
    }

    List<ActivePhases.ActivePhase> open = ActivePhases.of(List.of(run));

    assertThat(open).extracting(ActivePhases.ActivePhase::phase).doesNotContain(Phase.PREPARE);
    assertThat(open).hasSize(1);
    assertThat(open.get(0).startedAt()).isEqualTo(now);
  }

  @Test
  void aPausedUpgradeKeepsItsPhaseOpenAndAnEndedOneHasNone() {
    UpgradeRun paused = TestRuns.oneOfEachTo100(t0);
    machine.start(paused, t0);
    machine.pause(paused, "operator", t0.plusSeconds(1));
    UpgradeRun aborted = TestRuns.oneOfEachTo100(t0);
    machine.start(aborted, t0);
    machine.abort(aborted, "operator", t0.plusSeconds(1));

    assertThat(ActivePhases.of(List.of(paused, aborted)))
        .extracting(ActivePhases.ActivePhase::state, ActivePhases.ActivePhase::phase)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(UpgradeState.PAUSED, Phase.PREPARE));
  }

  private Ack succeeded(Command c, Instant now) {
    return new Ack(
        1,
        "ack-" + ids.incrementAndGet(),
        c.commandId(),
        c.agentId(),
        AckStatus.SUCCEEDED,
        null,
        null,
        new Observed("0.21.4", ComponentState.RUNNING, true, 0),
        Map.of(),
        now);
  }
}
