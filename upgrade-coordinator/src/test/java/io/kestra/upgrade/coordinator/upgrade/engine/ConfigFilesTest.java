package io.kestra.upgrade.coordinator.upgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.plan.FleetMember;
import io.kestra.upgrade.coordinator.upgrade.plan.Fleets;
import io.kestra.upgrade.coordinator.upgrade.plan.Planner;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A configuration file per kind: installed at START on the target, put back by the rollback. */
class ConfigFilesTest {

  private static final String WORKER_CONFIG =
      "kestra:\n  server:\n    terminationGracePeriod: 30s\n";

  private final AtomicInteger ids = new AtomicInteger();
  private final UpgradeMachine machine = new UpgradeMachine(() -> "id-" + ids.incrementAndGet());
  private Instant now = Instant.parse("2026-12-07T10:00:00Z");

  private static List<FleetMember> fleet(Capability... workerCapabilities) {
    return Fleets.cluster()
        .with(ComponentKind.EXECUTOR, "e1", Capability.BACKUP, Capability.MIGRATE)
        .with(ComponentKind.WORKER, "w1", workerCapabilities)
        .build();
  }

  private static UpgradeOptions withConfig(Map<ComponentKind, String> files) {
    return Fleets.with(
        Fleets.defaults(),
        o -> {
          o.acknowledgeBreakingChanges = true;
          o.configFiles = files;
        });
  }

  @Test
  void refusedForAKindWithoutServersOrWhoseAgentsCannotInstallOne() {
    Planner planner = new Planner(Fleets.TIMEOUTS, Duration.ofMinutes(5), Fleets.CATALOG);
    var plan =
        planner.plan(
            "prod",
            fleet(),
            KestraVersion.parse("1.0.0"),
            Strategy.FULL_STOP,
            withConfig(
                Map.of(ComponentKind.WORKER, WORKER_CONFIG, ComponentKind.WEBSERVER, "a: 1")));

    assertThat(plan.errors())
        .extracting(f -> f.code() + ": " + f.message())
        .containsExactly(
            "CONFIG_FILE_NO_SERVER: configFiles names kinds the cluster has no server of:"
                + " webserver",
            "CONFIG_FILE_UNSUPPORTED: these agents do not advertise the CONFIG_FILE capability,"
                + " which installing a configuration file needs (add it to agent.capabilities of a"
                + " process-driver agent whose server has a -c file): prod/worker/w1 (process"
                + " driver)");
  }

  @Test
  void theWorkerGetsItsFileAtStartAndTheRollbackPutsTheOldOneBack() {
    UpgradeRun run =
        TestRuns.of(
            fleet(Capability.CONFIG_FILE),
            "0.21.4",
            "1.0.0",
            Strategy.FULL_STOP,
            withConfig(Map.of(ComponentKind.WORKER, WORKER_CONFIG)),
            Fleets.CATALOG,
            now);
    assertThat(run.steps())
        .filteredOn(s -> s.plan().params().containsKey(Command.PARAM_CONFIG_FILE))
        .extracting(s -> s.plan().type() + " " + s.plan().agentId())
        .containsExactly("START prod/worker/w1");

    List<Command> next = machine.start(run, now).commands();
    Command workerStart = null;
    while (workerStart == null) {
      List<Command> following = new ArrayList<>();
      for (Command c : next) {
        if (c.type() == CommandType.START && c.agentId().equals("prod/worker/w1")) {
          workerStart = c;
        } else {
          following.addAll(succeed(run, c));
        }
      }
      next = following;
    }
    assertThat(workerStart.params()).containsEntry(Command.PARAM_CONFIG_FILE, WORKER_CONFIG);

    List<Command> rollback = fail(run, workerStart);

    assertThat(run.state()).isEqualTo(UpgradeState.ROLLING_BACK);
    List<Command> starts = new ArrayList<>();
    while (!rollback.isEmpty()) {
      rollback.stream().filter(c -> c.type() == CommandType.START).forEach(starts::add);
      List<Command> following = new ArrayList<>();
      rollback.forEach(c -> following.addAll(succeed(run, c)));
      rollback = following;
    }
    assertThat(run.state()).isEqualTo(UpgradeState.ROLLED_BACK);
    Command workerBack =
        starts.stream().filter(c -> c.agentId().equals("prod/worker/w1")).findFirst().orElseThrow();
    assertThat(workerBack.targetVersion()).isEqualTo("0.21.4");
    assertThat(workerBack.params())
        .containsEntry(Command.PARAM_RESTORE_CONFIG, "true")
        .doesNotContainKey(Command.PARAM_CONFIG_FILE);
    assertThat(run.steps())
        .filteredOn(s -> s.plan().phase() == Phase.ROLLBACK_START)
        .filteredOn(s -> s.plan().agentId().equals("prod/executor/e1"))
        .allSatisfy(
            s -> assertThat(s.plan().params()).doesNotContainKey(Command.PARAM_RESTORE_CONFIG));
  }

  private List<Command> succeed(UpgradeRun run, Command c) {
    now = now.plusSeconds(1);
    Map<String, String> result =
        c.type() == CommandType.BACKUP ? Map.of(Ack.RESULT_BACKUP_ID, "b-1") : Map.of();
    boolean started =
        c.type() == CommandType.START
            || c.type() == CommandType.RESTART
            || c.type() == CommandType.PING;
    Observed seen =
        started
            ? new Observed(c.targetVersion(), ComponentState.RUNNING, true, 0)
            : new Observed("0.21.4", ComponentState.STOPPED, false, 0);
    return machine
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
                result,
                now),
            now)
        .commands();
  }

  private List<Command> fail(UpgradeRun run, Command c) {
    return machine
        .onAck(
            run,
            new Ack(
                1,
                "ack-" + ids.incrementAndGet(),
                c.commandId(),
                c.agentId(),
                AckStatus.FAILED,
                FailureReason.START_FAILED,
                "Configuration error",
                Observed.unknown(),
                Map.of(),
                now),
            now)
        .commands();
  }
}
