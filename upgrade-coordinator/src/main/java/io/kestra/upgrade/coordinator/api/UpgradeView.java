package io.kestra.upgrade.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.UpgradeStore;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An upgrade as the API shows it: state, timings, phases, steps and, for one upgrade, its events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpgradeView(
    String id,
    String cluster,
    Strategy strategy,
    UpgradeState state,
    String fromVersion,
    String toVersion,
    FailureReason reason,
    String reasonDescription,
    String message,
    String backupId,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    UpgradeOptions options,
    List<PhaseView> phases,
    List<StepView> steps,
    List<EventView> events) {

  /**
   * An event of the upgrade.
   *
   * @param type CloudEvent type
   * @param subject what changed
   * @param at when
   * @param data the event's data
   */
  public record EventView(String type, String subject, Instant at, @JsonRawValue String data) {}

  static UpgradeView of(UpgradeRun run, List<UpgradeStore.EventRow> events) {
    Instant end = run.finishedAt();
    return new UpgradeView(
        run.id(),
        run.cluster(),
        run.strategy(),
        run.state(),
        run.fromVersion(),
        run.toVersion(),
        run.reason(),
        run.reason() == null ? null : run.reason().description(),
        run.message(),
        run.backupId(),
        run.createdAt(),
        run.startedAt(),
        end,
        run.startedAt() != null && end != null
            ? Duration.between(run.startedAt(), end).toMillis()
            : null,
        run.options(),
        PhaseView.of(run.steps()),
        run.steps().stream().map(StepView::of).toList(),
        events == null
            ? null
            : events.stream()
                .map(e -> new EventView(e.type(), e.subject(), e.at(), e.data()))
                .toList());
  }
}
