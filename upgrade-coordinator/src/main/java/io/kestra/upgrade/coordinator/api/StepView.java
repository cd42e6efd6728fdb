package io.kestra.upgrade.coordinator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.kestra.upgrade.coordinator.upgrade.engine.StepProgress;
import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import io.kestra.upgrade.coordinator.upgrade.plan.PlannedStep;

/**
 * A step as the API shows it: its plan and progress, with what is derived from them.
 *
 * @param id the step's id
 * @param plan what it does
 * @param progress where it stands
 * @param inFlightTasks the task runs still running on the component, as last reported
 * @param durationMs from sending its command to its end, once ended
 * @param reasonDescription the failure reason in words
 */
public record StepView(
    String id,
    @JsonUnwrapped PlannedStep plan,
    // the machine's own bookkeeping (replays, progress events), not the step's state
    @JsonUnwrapped @JsonIgnoreProperties({"lastAckAt", "lastProgressEvent"}) StepProgress progress,
    Integer inFlightTasks,
    Long durationMs,
    String reasonDescription) {

  static StepView of(StepRun s) {
    StepProgress p = s.progress();
    return new StepView(
        s.id(),
        s.plan(),
        p,
        p.inFlightTasks(),
        UpgradeView.between(p.sentAt(), p.finishedAt()),
        p.reason() == null ? null : p.reason().description());
  }
}
