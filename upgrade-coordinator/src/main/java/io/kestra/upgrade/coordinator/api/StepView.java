package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A step as the API shows it, with its timings. */
public record StepView(
    String id,
    int seq,
    Phase phase,
    int group,
    String agentId,
    CommandType command,
    String targetVersion,
    Map<String, String> params,
    StepState state,
    String commandId,
    Instant sentAt,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    Instant deadlineAt,
    FailureReason reason,
    String reasonDescription,
    String message,
    Integer inFlightTasks,
    Observed observed,
    Map<String, String> result) {

  static StepView of(StepRun s) {
    return new StepView(
        s.id(),
        s.seq(),
        s.phase(),
        s.group(),
        s.agentId(),
        s.type(),
        s.targetVersion(),
        s.params(),
        s.state(),
        s.commandId(),
        s.sentAt(),
        s.startedAt(),
        s.finishedAt(),
        s.sentAt() != null && s.finishedAt() != null
            ? Duration.between(s.sentAt(), s.finishedAt()).toMillis()
            : null,
        s.deadlineAt(),
        s.reason(),
        s.reason() == null ? null : s.reason().description(),
        s.message(),
        s.inFlightTasks(),
        s.observed(),
        s.result());
  }
}
