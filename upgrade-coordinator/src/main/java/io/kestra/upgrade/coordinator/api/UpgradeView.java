package io.kestra.upgrade.coordinator.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeSpec;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeStatus;
import io.kestra.upgrade.coordinator.upgrade.store.EventHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An upgrade as the API shows it: its spec and status, with what is derived from them (duration,
 * phases, the reason's description), its steps and, for one upgrade, its events.
 *
 * @param spec what the upgrade is
 * @param status where it stands
 * @param reasonDescription the failure reason in words
 * @param durationMs from start to end, once ended
 * @param phases the phases, derived from the steps
 * @param steps the steps
 * @param events the events, for one upgrade: one page of them, in order ({@link EventPaging})
 * @param nextEventsAfter the {@code eventsAfter} of the next page of events; absent on the last
 */
public record UpgradeView(
    @JsonUnwrapped UpgradeSpec spec,
    @JsonUnwrapped UpgradeStatus status,
    String reasonDescription,
    Long durationMs,
    List<PhaseView> phases,
    List<StepView> steps,
    List<EventView> events,
    Long nextEventsAfter) {

  /**
   * An event of the upgrade.
   *
   * @param seq its position: the {@code eventsAfter} that asks for the events after it
   * @param type CloudEvent type
   * @param subject what changed
   * @param at when
   * @param data the event's data
   */
  public record EventView(
      long seq, String type, String subject, Instant at, @JsonRawValue String data) {}

  /** An upgrade with a page of its events ({@code null}: without events). */
  static UpgradeView of(UpgradeRun run, EventHistory.Page events) {
    UpgradeStatus status = run.status();
    return new UpgradeView(
        run.spec(),
        status,
        status.reason() == null ? null : status.reason().description(),
        between(status.startedAt(), status.finishedAt()),
        PhaseView.of(run.steps()),
        run.steps().stream().map(StepView::of).toList(),
        events == null
            ? null
            : events.events().stream()
                .map(e -> new EventView(e.seq(), e.type(), e.subject(), e.at(), e.data()))
                .toList(),
        events == null ? null : events.nextAfter());
  }

  /** Milliseconds from {@code start} to {@code end}, or {@code null} until both are known. */
  static Long between(Instant start, Instant end) {
    return start != null && end != null ? Duration.between(start, end).toMillis() : null;
  }
}
