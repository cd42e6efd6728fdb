package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.coordinator.upgrade.plan.PlannedStep;
import java.util.Objects;

/**
 * One step of an upgrade: its immutable {@link PlannedStep} and its {@link StepProgress}, which
 * only {@link UpgradeMachine} changes; {@link #isDirty()} tells the store what to write.
 */
public final class StepRun {

  private final String id;
  private final PlannedStep plan;
  private StepProgress progress;
  private boolean dirty;
  private boolean added;

  /** A step as stored. */
  public StepRun(String id, PlannedStep plan, StepProgress progress) {
    this.id = Objects.requireNonNull(id, "id");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** A new step, PENDING, carrying out a planned one. */
  public static StepRun planned(String id, PlannedStep plan) {
    return new StepRun(id, plan, StepProgress.pending());
  }

  /** A step added to a running upgrade (a rollback's), PENDING, not stored yet. */
  static StepRun added(String id, PlannedStep plan) {
    StepRun step = planned(id, plan);
    step.added = true;
    return step;
  }

  void update(StepProgress next) {
    progress = next;
    dirty = true;
  }

  public String id() {
    return id;
  }

  public PlannedStep plan() {
    return plan;
  }

  public StepProgress progress() {
    return progress;
  }

  /** Shorthand for {@code progress().state()}. */
  public StepState state() {
    return progress.state();
  }

  public boolean isDirty() {
    return dirty;
  }

  /** Called by the store once the step is written. */
  public void clean() {
    dirty = false;
  }

  /** Whether the step was added since the upgrade was loaded, and needs inserting. */
  public boolean isAdded() {
    return added;
  }

  /** Called by the store once the added step is inserted. */
  public void inserted() {
    added = false;
  }

  /** A short name for messages: {@code STOP on prod/worker/w1}. */
  public String describe() {
    return plan.type() + " on " + plan.agentId();
  }
}
