package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.coordinator.upgrade.plan.Fleets;
import io.kestra.upgrade.coordinator.upgrade.plan.MigrationMode;
import io.kestra.upgrade.coordinator.upgrade.plan.OnFailure;
import io.kestra.upgrade.coordinator.upgrade.plan.Planner;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Upgrades as the coordinator creates them, for tests of the machine and of what it causes. */
public final class TestRuns {

  /** The id of {@link #oneOfEachTo100}'s upgrade. */
  public static final String UPGRADE_ID = "00000000-0000-4000-8000-0000000000a1";

  private TestRuns() {}

  /**
   * A new upgrade {@link #UPGRADE_ID} of {@link Fleets#oneOfEach()} from 0.21.4 to 1.0.0, as
   * planned with the default options, PENDING.
   */
  public static UpgradeRun oneOfEachTo100(Instant createdAt) {
    return oneOfEachTo100(createdAt, Fleets.defaults().onFailure());
  }

  /** {@link #oneOfEachTo100(Instant)} with another failure policy. */
  public static UpgradeRun oneOfEachTo100(Instant createdAt, OnFailure onFailure) {
    UpgradeOptions options = Fleets.options(true, MigrationMode.MANUAL, null, false, onFailure);
    List<StepRun> steps =
        new Planner(Fleets.TIMEOUTS, Duration.ofMinutes(5), Fleets.CATALOG)
                .plan(
                    "prod",
                    Fleets.oneOfEach(),
                    KestraVersion.parse("1.0.0"),
                    Strategy.FULL_STOP,
                    options)
                .steps()
                .stream()
                .map(p -> StepRun.planned(new UUID(1, p.seq()).toString(), p))
                .toList();
    return new UpgradeRun(
        new UpgradeSpec(
            UPGRADE_ID, "prod", Strategy.FULL_STOP, "0.21.4", "1.0.0", options, createdAt),
        UpgradeStatus.pending(),
        steps);
  }

  /**
   * A new upgrade {@link #UPGRADE_ID} of {@code fleet} from {@code from} to {@code to}, as planned
   * against {@code catalog}, PENDING.
   *
   * @throws IllegalStateException when preflight refuses it
   */
  public static UpgradeRun of(
      List<io.kestra.upgrade.coordinator.upgrade.plan.FleetMember> fleet,
      String from,
      String to,
      Strategy strategy,
      UpgradeOptions options,
      io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog catalog,
      Instant createdAt) {
    io.kestra.upgrade.coordinator.upgrade.plan.Plan plan =
        new Planner(Fleets.TIMEOUTS, Duration.ofMinutes(5), catalog)
            .plan("prod", fleet, KestraVersion.parse(to), strategy, options);
    if (!plan.isExecutable()) {
      throw new IllegalStateException("preflight refused: " + plan.errors());
    }
    List<StepRun> steps =
        plan.steps().stream()
            .map(p -> StepRun.planned(new UUID(1, p.seq()).toString(), p))
            .toList();
    return new UpgradeRun(
        new UpgradeSpec(UPGRADE_ID, "prod", strategy, from, to, options, createdAt),
        UpgradeStatus.pending(),
        steps);
  }
}
