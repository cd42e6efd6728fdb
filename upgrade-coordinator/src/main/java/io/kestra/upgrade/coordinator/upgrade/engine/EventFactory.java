package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.common.UpgradeEvent.Entity;
import io.kestra.upgrade.common.Violations;
import io.kestra.upgrade.coordinator.upgrade.plan.PlannedStep;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;

/** Builds the events of transitions. */
final class EventFactory {

  private final Supplier<String> ids;

  EventFactory(Supplier<String> ids) {
    this.ids = ids;
  }

  UpgradeEvent upgrade(UpgradeRun run, Instant now) {
    String state = run.state().name();
    UpgradeStatus status = run.status();
    return event(
        run,
        Entity.UPGRADE,
        state,
        "upgrade",
        state,
        null,
        null,
        status.reason(),
        status.message(),
        null,
        now);
  }

  UpgradeEvent phase(
      UpgradeRun run, Phase phase, String transition, FailureReason reason, Instant now) {
    return event(
        run,
        Entity.PHASE,
        transition,
        "phase/" + phase,
        transition.toUpperCase(Locale.ROOT),
        phase,
        null,
        reason,
        null,
        null,
        now);
  }

  UpgradeEvent step(UpgradeRun run, StepRun step, String transition, Instant now) {
    StepProgress p = step.progress();
    return event(
        run,
        Entity.STEP,
        transition,
        "step/" + step.id(),
        p.state().name(),
        step.plan().phase(),
        step,
        p.reason(),
        p.message(),
        p.inFlightTasks(),
        now);
  }

  /**
   * A transition of the upgrade's rollback ({@code started}, {@code succeeded}, {@code failed}).
   */
  UpgradeEvent rollback(UpgradeRun run, String transition, String message, Instant now) {
    return event(
        run,
        Entity.ROLLBACK,
        transition,
        "rollback",
        run.state().name(),
        null,
        null,
        run.status().reason(),
        Violations.clipMessage(message),
        null,
        now);
  }

  /** An operator's control ({@code paused}, {@code resumed}, {@code aborted}). */
  UpgradeEvent control(UpgradeRun run, String transition, String message, Instant now) {
    return event(
        run,
        Entity.CONTROL,
        transition,
        "upgrade",
        run.state().name(),
        null,
        null,
        null,
        Violations.clipMessage(message),
        null,
        now);
  }

  /** The broker refused outbox row {@code rowId}, an event of the upgrade, for good. */
  UpgradeEvent refused(UpgradeRun run, long rowId, String text, Instant now) {
    return event(
        run,
        Entity.OUTBOX,
        "refused",
        "outbox/" + rowId,
        "REFUSED",
        null,
        null,
        null,
        Violations.clipMessage(text),
        null,
        now);
  }

  private UpgradeEvent event(
      UpgradeRun run,
      Entity entity,
      String transition,
      String subject,
      String state,
      Phase phase,
      StepRun step,
      FailureReason reason,
      String message,
      Integer inFlightTasks,
      Instant now) {
    UpgradeSpec spec = run.spec();
    PlannedStep plan = step == null ? null : step.plan();
    return new UpgradeEvent(
        Message.SCHEMA_VERSION,
        ids.get(),
        UpgradeEvent.typeOf(entity, transition),
        spec.id(),
        spec.cluster(),
        subject,
        state,
        phase,
        step == null ? null : step.id(),
        plan == null ? null : plan.agentId(),
        plan == null ? null : plan.type(),
        spec.fromVersion(),
        spec.toVersion(),
        reason,
        message,
        inFlightTasks,
        now);
  }
}
