package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.UpgradeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An upgrade and its steps: the aggregate the state machine works on, loaded and stored whole
 * within one transaction. Its {@link UpgradeSpec} never changes; its {@link UpgradeStatus}, its
 * steps' progress and the steps of its rollback, appended once, change only through {@link
 * UpgradeMachine}, and say whether they need writing.
 */
public final class UpgradeRun {

  private final UpgradeSpec spec;
  private final List<StepRun> steps;
  private UpgradeStatus status;
  private boolean dirty;

  /** An upgrade as stored (or new, with {@link UpgradeStatus#pending()}). */
  public UpgradeRun(UpgradeSpec spec, UpgradeStatus status, List<StepRun> steps) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.status = Objects.requireNonNull(status, "status");
    this.steps = new ArrayList<>(steps);
  }

  /** Appends the steps of a rollback, planned after the upgrade's own. */
  void addSteps(List<StepRun> more) {
    steps.addAll(more);
  }

  void moveTo(UpgradeState next, Instant now) {
    status = status.movedTo(next, now);
    dirty = true;
  }

  /** An upgrade that ended becomes active again, {@code next}: an operator's rollback. */
  void reopen(UpgradeState next) {
    status = status.reopened(next);
    dirty = true;
  }

  void fail(FailureReason why, String text) {
    status = status.failedWith(why, text);
    dirty = true;
  }

  void backupTaken(String backupId) {
    status = status.withBackup(backupId);
    dirty = true;
  }

  /** The step that carries {@code commandId}. */
  public Optional<StepRun> stepByCommand(String commandId) {
    return steps.stream().filter(s -> commandId.equals(s.progress().commandId())).findFirst();
  }

  public UpgradeSpec spec() {
    return spec;
  }

  public UpgradeStatus status() {
    return status;
  }

  /** The steps in plan order: the upgrade's, then its rollback's, if any. */
  public List<StepRun> steps() {
    return Collections.unmodifiableList(steps);
  }

  /** Shorthand for {@code spec().id()}. */
  public String id() {
    return spec.id();
  }

  /** Shorthand for {@code status().state()}. */
  public UpgradeState state() {
    return status.state();
  }

  /** Whether the upgrade's own status changed since it was loaded or last stored. */
  public boolean isDirty() {
    return dirty;
  }

  /** Whether the upgrade or any of its steps changed since it was loaded or last stored. */
  public boolean hasChanges() {
    return dirty || steps.stream().anyMatch(s -> s.isDirty() || s.isAdded());
  }

  /** Called by the store once the upgrade's status is written. */
  public void clean() {
    dirty = false;
  }

  /** A short name for logs: {@code <id> of <cluster>}. */
  public String describe() {
    return spec.id() + " of " + spec.cluster();
  }
}
