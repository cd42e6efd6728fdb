package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import io.kestra.upgrade.coordinator.upgrade.plan.Estimates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A phase as the API shows it, derived from its steps.
 *
 * @param phase the phase
 * @param state PENDING, RUNNING, SUCCEEDED, FAILED or SKIPPED
 * @param startedAt when its first step was sent
 * @param finishedAt when its last step ended, once all have
 * @param durationMs between the two
 * @param steps how many steps it has
 * @param estimatedMs what it was expected to take when planned (from the cluster's earlier
 *     upgrades), or {@code null} when a step had no measurement
 * @param atMostMs the most its steps' deadlines let it take
 */
public record PhaseView(
    Phase phase,
    String state,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    int steps,
    Long estimatedMs,
    long atMostMs) {

  static List<PhaseView> of(List<StepRun> steps) {
    Map<Phase, List<StepRun>> byPhase = new LinkedHashMap<>();
    steps.forEach(s -> byPhase.computeIfAbsent(s.plan().phase(), p -> new ArrayList<>()).add(s));
    Map<Phase, Estimates.PhaseEstimate> estimates = new LinkedHashMap<>();
    Estimates.of(steps.stream().map(StepRun::plan).toList())
        .phases()
        .forEach(e -> estimates.put(e.phase(), e));
    List<PhaseView> out = new ArrayList<>();
    byPhase.forEach((phase, list) -> out.add(view(phase, list, estimates.get(phase))));
    return out;
  }

  private static PhaseView view(
      Phase phase, List<StepRun> steps, Estimates.PhaseEstimate estimate) {
    Instant started =
        steps.stream()
            .map(s -> s.progress().sentAt())
            .filter(Objects::nonNull)
            .min(Comparator.naturalOrder())
            .orElse(null);
    boolean allEnded = steps.stream().allMatch(s -> s.state().isTerminal());
    Instant finished =
        allEnded
            ? steps.stream()
                .map(s -> s.progress().finishedAt())
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(null)
            : null;
    String state;
    if (steps.stream()
        .anyMatch(s -> s.state() == StepState.FAILED || s.state() == StepState.TIMED_OUT)) {
      state = "FAILED";
    } else if (steps.stream().allMatch(s -> s.state() == StepState.SUCCEEDED)) {
      state = "SUCCEEDED";
    } else if (steps.stream().allMatch(s -> s.state() == StepState.SKIPPED)) {
      state = "SKIPPED";
    } else if (started != null) {
      state = "RUNNING";
    } else {
      state = "PENDING";
    }
    return new PhaseView(
        phase,
        state,
        started,
        finished,
        UpgradeView.between(started, finished),
        steps.size(),
        estimate.expected() == null ? null : estimate.expected().toMillis(),
        estimate.atMost().toMillis());
  }
}
