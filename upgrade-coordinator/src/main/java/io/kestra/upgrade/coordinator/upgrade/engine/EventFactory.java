package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.common.UpgradeEvent.Entity;
import java.time.Instant;
import java.util.function.Supplier;

/** Builds the events of transitions. */
final class EventFactory {

  private final Supplier<String> ids;

  EventFactory(Supplier<String> ids) {
    this.ids = ids;
  }

  UpgradeEvent upgrade(UpgradeRun run, Instant now) {
    String state = run.state().name();
    return new UpgradeEvent(
        Message.SCHEMA_VERSION,
        ids.get(),
        UpgradeEvent.typeOf(Entity.UPGRADE, state),
        run.id(),
        run.cluster(),
        "upgrade",
        state,
        null,
        null,
        null,
        null,
        run.fromVersion(),
        run.toVersion(),
        run.reason(),
        run.message(),
        null,
        now);
  }

  UpgradeEvent phase(
      UpgradeRun run, Phase phase, String transition, FailureReason reason, Instant now) {
    return new UpgradeEvent(
        Message.SCHEMA_VERSION,
        ids.get(),
        UpgradeEvent.typeOf(Entity.PHASE, transition),
        run.id(),
        run.cluster(),
        "phase/" + phase,
        transition.toUpperCase(java.util.Locale.ROOT),
        phase,
        null,
        null,
        null,
        run.fromVersion(),
        run.toVersion(),
        reason,
        null,
        null,
        now);
  }

  UpgradeEvent step(UpgradeRun run, StepRun step, String transition, Instant now) {
    return new UpgradeEvent(
        Message.SCHEMA_VERSION,
        ids.get(),
        UpgradeEvent.typeOf(Entity.STEP, transition),
        run.id(),
        run.cluster(),
        "step/" + step.id(),
        step.state().name(),
        step.phase(),
        step.id(),
        step.agentId(),
        step.type(),
        run.fromVersion(),
        run.toVersion(),
        step.reason(),
        step.message(),
        step.inFlightTasks(),
        now);
  }
}
