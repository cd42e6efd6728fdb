package io.kestra.upgrade.coordinator.metrics;

import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.kestra.upgrade.coordinator.upgrade.plan.Estimates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The phases of the upgrades not over that have begun and not ended: what an operator asks of an
 * upgrade that seems stuck. A phase begins with its first command and ends when its last step does,
 * as the API's phases say; a paused upgrade keeps its phase open, so that a pause left for days
 * shows. Pure: the gauges of {@link PhaseGauges} are made from it.
 */
public final class ActivePhases {

  /**
   * One open phase of one upgrade.
   *
   * @param cluster the upgrade's cluster (at most one upgrade of a cluster is active)
   * @param state the upgrade's state: RUNNING, PAUSED or ROLLING_BACK
   * @param phase the phase
   * @param startedAt when its first command was sent
   * @param atMost the sum of its steps' deadlines, group by group, as the plan gave it: a phase
   *     older than that outlived every deadline of its own
   */
  public record ActivePhase(
      String cluster, UpgradeState state, Phase phase, Instant startedAt, Duration atMost) {

    /** How long the phase has been open at {@code now}. */
    public Duration age(Instant now) {
      return Duration.between(startedAt, now);
    }
  }

  private ActivePhases() {}

  /** The open phases of {@code runs}, in plan order within each upgrade. */
  public static List<ActivePhase> of(List<UpgradeRun> runs) {
    List<ActivePhase> out = new ArrayList<>();
    for (UpgradeRun run : runs) {
      if (run.state().isTerminal()) {
        continue;
      }
      Map<Phase, List<StepRun>> byPhase = new LinkedHashMap<>();
      run.steps()
          .forEach(s -> byPhase.computeIfAbsent(s.plan().phase(), p -> new ArrayList<>()).add(s));
      Map<Phase, Duration> atMost = new LinkedHashMap<>();
      Estimates.of(run.steps().stream().map(StepRun::plan).toList())
          .phases()
          .forEach(e -> atMost.put(e.phase(), e.atMost()));
      byPhase.forEach(
          (phase, steps) -> {
            boolean open = steps.stream().anyMatch(s -> !s.state().isTerminal());
            steps.stream()
                .map(s -> s.progress().sentAt())
                .filter(Objects::nonNull)
                .min(Instant::compareTo)
                .filter(started -> open)
                .ifPresent(
                    started ->
                        out.add(
                            new ActivePhase(
                                run.spec().cluster(),
                                run.state(),
                                phase,
                                started,
                                atMost.getOrDefault(phase, Duration.ZERO))));
          });
    }
    return out;
  }
}
