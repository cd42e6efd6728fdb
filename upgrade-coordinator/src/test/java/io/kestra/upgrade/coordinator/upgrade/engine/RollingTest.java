package io.kestra.upgrade.coordinator.upgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.plan.FleetMember;
import io.kestra.upgrade.coordinator.upgrade.plan.Fleets;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;
import io.kestra.upgrade.coordinator.upgrade.plan.release.Release;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A ROLLING upgrade through the machine: batch after batch, and its rolling rollback. */
class RollingTest {

  private static final ReleaseCatalog CATALOG =
      new ReleaseCatalog(
          List.of(
              new Release("1.0", true, false, List.of(), null, null, null),
              new Release("1.0.1", false, false, List.of(), null, null, null)));

  private static final List<FleetMember> FLEET =
      List.of(
          Fleets.member(ComponentKind.EXECUTOR, "e1", "1.0.0", true, false, null),
          Fleets.member(ComponentKind.WORKER, "w1", "1.0.0", true, false, null),
          Fleets.member(ComponentKind.WORKER, "w2", "1.0.0", true, false, null),
          Fleets.member(ComponentKind.WEBSERVER, "web1", "1.0.0", true, false, null),
          Fleets.member(ComponentKind.WEBSERVER, "web2", "1.0.0", true, false, null));

  private final AtomicInteger ids = new AtomicInteger();
  private final UpgradeMachine machine = new UpgradeMachine(() -> "id-" + ids.incrementAndGet());
  private Instant now = Instant.parse("2026-12-07T10:00:00Z");

  private UpgradeRun run(UpgradeOptions options) {
    return TestRuns.of(FLEET, "1.0.0", "1.0.1", Strategy.ROLLING, options, CATALOG, now);
  }

  @Test
  void oneServerAtATimeNeverTwoOfAKindDown() {
    UpgradeRun run = run(Fleets.rolling(Map.of(), null, false));
    List<List<String>> sent = new ArrayList<>();

    List<Command> next = machine.start(run, now).commands();
    while (!next.isEmpty()) {
      sent.add(next.stream().map(c -> c.type() + " " + c.agentId()).toList());
      next = succeedAll(run, next);
    }

    assertThat(run.state()).isEqualTo(UpgradeState.SUCCEEDED);
    assertThat(sent.subList(1, 6))
        .as("after PREPARE, one RESTART at a time: workers, executor, webservers")
        .containsExactly(
            List.of("RESTART prod/worker/w1"),
            List.of("RESTART prod/worker/w2"),
            List.of("RESTART prod/executor/e1"),
            List.of("RESTART prod/webserver/web1"),
            List.of("RESTART prod/webserver/web2"));
  }

  @Test
  void aFailedRestartRollsBackOneServerAtATimeLastFirstWithoutARestore() {
    UpgradeRun run = run(Fleets.rolling(Map.of(), null, false));
    List<Command> next = machine.start(run, now).commands(); // PREPARE
    next = succeedAll(run, next); // w1
    next = succeedAll(run, next); // w2
    next = succeedAll(run, next); // e1
    assertThat(next).extracting(Command::agentId).containsExactly("prod/executor/e1");

    List<Command> rollback = machine.onAck(run, failed(next.get(0)), now).commands();

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    List<String> order = new ArrayList<>();
    while (!rollback.isEmpty()) {
      assertThat(rollback).as("one at a time").hasSizeLessThanOrEqualTo(5);
      rollback.forEach(c -> order.add(c.type() + " " + c.agentId() + " " + c.targetVersion()));
      rollback = succeedAll(run, rollback);
    }
    assertThat(order)
        .containsExactly(
            "RESTART prod/executor/e1 1.0.0",
            "RESTART prod/worker/w2 1.0.0",
            "RESTART prod/worker/w1 1.0.0",
            "PING prod/executor/e1 1.0.0",
            "PING prod/webserver/web1 1.0.0",
            "PING prod/webserver/web2 1.0.0",
            "PING prod/worker/w1 1.0.0",
            "PING prod/worker/w2 1.0.0");
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLED_BACK);
    assertThat(run.steps())
        .filteredOn(s -> s.plan().phase().isRollback())
        .extracting(s -> s.plan().phase())
        .doesNotContain(Phase.RESTORE, Phase.ROLLBACK_STOP, Phase.ROLLBACK_BACKUP);
    assertThat(run.steps())
        .filteredOn(s -> s.plan().phase() == Phase.ROLLBACK_ROLL)
        .extracting(s -> s.plan().group())
        .doesNotHaveDuplicates();
  }

  @Test
  void aSucceededRollingUpgradeIsRolledBackByARollingRestartOnThePreviousVersion() {
    UpgradeRun run = run(Fleets.rolling(Map.of(), null, false));
    List<Command> next = machine.start(run, now).commands();
    while (!next.isEmpty()) {
      next = succeedAll(run, next);
    }
    assertThat(run.state()).isEqualTo(UpgradeState.SUCCEEDED);

    List<Command> rollback = machine.rollback(run, false, "alice", now).commands();

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    assertThat(rollback)
        .extracting(Command::type, Command::agentId, Command::targetVersion)
        .containsExactly(tuple(CommandType.RESTART, "prod/webserver/web2", "1.0.0"));
    while (!rollback.isEmpty()) {
      rollback = succeedAll(run, rollback);
    }
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLED_BACK);
    assertThat(run.steps())
        .filteredOn(s -> s.plan().phase() == Phase.ROLLBACK_FINALIZE)
        .allMatch(s -> s.state() == StepState.SUCCEEDED)
        .isNotEmpty();
  }

  @Test
  void pauseBeforeHoldsTheUpgradeBeforeThePhaseUntilResumed() {
    UpgradeRun run = run(Fleets.pausingBefore(Fleets.rolling(Map.of(), null, false), Phase.ROLL));

    List<Command> afterPrepare = succeedAll(run, machine.start(run, now).commands());

    assertThat(afterPrepare).as("nothing of ROLL sent").isEmpty();
    assertThat(run.state()).isEqualTo(UpgradeState.PAUSED);

    Effects resumed = machine.resume(run, "alice", now);

    assertThat(run.state()).isEqualTo(UpgradeState.RUNNING);
    assertThat(resumed.commands())
        .extracting(Command::type, Command::agentId)
        .containsExactly(tuple(CommandType.RESTART, "prod/worker/w1"));
    List<Command> next = resumed.commands();
    while (!next.isEmpty()) {
      next = succeedAll(run, next);
      assertThat(run.state())
          .as("the gate is behind: no second pause")
          .isNotEqualTo(UpgradeState.PAUSED);
    }
    assertThat(run.state()).isEqualTo(UpgradeState.SUCCEEDED);
  }

  private List<Command> succeedAll(UpgradeRun run, List<Command> commands) {
    List<Command> next = new ArrayList<>();
    for (Command c : commands) {
      now = now.plusSeconds(1);
      Observed seen = new Observed(c.targetVersion(), ComponentState.RUNNING, true, 0);
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
                      Map.of(),
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
        FailureReason.NOT_READY,
        "crashed within minHealthy",
        Observed.unknown(),
        Map.of(),
        now);
  }
}
