package io.kestra.upgrade.coordinator.upgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.UpgradeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PROGRESS acks through the machine: what they publish, and what a replay of one changes. */
class ProgressAckTest {

  private static final String PROGRESS = "io.kestra.upgrade.step.progress";

  private final AtomicInteger ids = new AtomicInteger();
  private final UpgradeMachine machine =
      new UpgradeMachine(
          () -> "id-" + ids.incrementAndGet(), new ProgressThrottle(Duration.ofSeconds(30)));
  private final Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
  private UpgradeRun run;
  private Command command;

  @BeforeEach
  void firstStepSent() {
    run = TestRuns.oneOfEachTo100(t0);
    command = machine.start(run, t0).commands().get(0);
  }

  private Ack progress(Instant at, int inFlight, String message) {
    return new Ack(
        1,
        "ack-" + ids.incrementAndGet(),
        command.commandId(),
        command.agentId(),
        AckStatus.PROGRESS,
        null,
        message,
        new Observed("0.21.4", ComponentState.RUNNING, true, inFlight),
        Map.of(),
        at);
  }

  private StepProgress step() {
    return run.stepByCommand(command.commandId()).orElseThrow().progress();
  }

  @Test
  void twoHoursOfTheSameReportEvery2sPublishOneEventPer30s() {
    List<UpgradeEvent> published = new ArrayList<>();
    for (int s = 2; s <= 7200; s += 2) {
      Instant now = t0.plusSeconds(s);
      String message = "running PREPARE (" + s + " s)";
      published.addAll(machine.onAck(run, progress(now, 0, message), now).events());
    }

    List<UpgradeEvent> progress =
        published.stream().filter(e -> e.type().equals(PROGRESS)).toList();
    // at 2 s, then every 30 s: 2, 32, ..., 7172
    assertThat(progress).hasSize(240);
    assertThat(progress.get(1).at()).isEqualTo(t0.plusSeconds(32));
    assertThat(progress.get(239).message()).isEqualTo("running PREPARE (7172 s)");
    assertThat(step().progressDeadlineAt()).isEqualTo(t0.plusSeconds(7200 + 30));
  }

  @Test
  void everyChangeOfTheInFlightCountIsPublishedInOrder() {
    int[] counts = {5, 5, 4, 4, 4, 3, 3, 0};
    List<Integer> published = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      Instant now = t0.plusSeconds(2L * (i + 1));
      machine.onAck(run, progress(now, counts[i], null), now).events().stream()
          .filter(e -> e.type().equals(PROGRESS))
          .forEach(e -> published.add(e.inFlightTasks()));
    }

    assertThat(published).containsExactly(5, 4, 3, 0);
  }

  @Test
  void aReplayedOrOutOfOrderProgressAckChangesNothing() {
    Instant t1 = t0.plusSeconds(2);
    Ack first = progress(t1, 3, "draining");
    machine.onAck(run, first, t1);
    Ack second = progress(t1.plusSeconds(2), 2, "draining");
    machine.onAck(run, second, t1.plusSeconds(2));
    StepProgress before = step();

    Instant later = t1.plusSeconds(20);
    assertThat(machine.onAck(run, first, later).isEmpty()).as("a replay").isTrue();
    assertThat(machine.onAck(run, second, later).isEmpty()).as("a replay of the last").isTrue();
    Ack olderButNew = progress(t1.plusSeconds(1), 1, "draining");
    assertThat(machine.onAck(run, olderButNew, later).isEmpty()).as("out of order").isTrue();
    assertThat(step()).isEqualTo(before);
    assertThat(step().progressDeadlineAt()).isEqualTo(t1.plusSeconds(2 + 30));
  }
}
