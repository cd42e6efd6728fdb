package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An upgrade and its steps: the aggregate the state machine works on, loaded and stored whole
 * within one transaction.
 */
public final class UpgradeRun {

  private final String id;
  private final String cluster;
  private final Strategy strategy;
  private final String fromVersion;
  private final String toVersion;
  private final UpgradeOptions options;
  private final Instant createdAt;
  private final List<StepRun> steps;
  private UpgradeState state;
  private Instant startedAt;
  private Instant finishedAt;
  private FailureReason reason;
  private String message;
  private String backupId;
  private boolean dirty;

  public UpgradeRun(
      String id,
      String cluster,
      Strategy strategy,
      String fromVersion,
      String toVersion,
      UpgradeOptions options,
      Instant createdAt,
      UpgradeState state,
      List<StepRun> steps) {
    this.id = id;
    this.cluster = cluster;
    this.strategy = strategy;
    this.fromVersion = fromVersion;
    this.toVersion = toVersion;
    this.options = options;
    this.createdAt = createdAt;
    this.state = state;
    this.steps = List.copyOf(steps);
  }

  /** Restores the fields that change while an upgrade runs (for the store). */
  public UpgradeRun restore(
      Instant started, Instant finished, FailureReason why, String text, String backup) {
    this.startedAt = started;
    this.finishedAt = finished;
    this.reason = why;
    this.message = text;
    this.backupId = backup;
    return this;
  }

  void moveTo(UpgradeState next, Instant now) {
    if (state.isTerminal()) {
      throw new IllegalStateException("upgrade " + id + " is already " + state);
    }
    state = next;
    if (next == UpgradeState.RUNNING && startedAt == null) {
      startedAt = now;
    }
    if (next.isTerminal()) {
      finishedAt = now;
    }
    dirty = true;
  }

  void fail(FailureReason why, String text) {
    reason = why;
    message = text;
    dirty = true;
  }

  void backupTaken(String id) {
    backupId = id;
    dirty = true;
  }

  /** The step that carries {@code commandId}. */
  public Optional<StepRun> stepByCommand(String commandId) {
    return steps.stream().filter(s -> commandId.equals(s.commandId())).findFirst();
  }

  public String id() {
    return id;
  }

  public String cluster() {
    return cluster;
  }

  public Strategy strategy() {
    return strategy;
  }

  public String fromVersion() {
    return fromVersion;
  }

  public String toVersion() {
    return toVersion;
  }

  public UpgradeOptions options() {
    return options;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public List<StepRun> steps() {
    return steps;
  }

  public UpgradeState state() {
    return state;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public FailureReason reason() {
    return reason;
  }

  public String message() {
    return message;
  }

  public String backupId() {
    return backupId;
  }

  public boolean isDirty() {
    return dirty;
  }

  /** Called by the store once the upgrade is written. */
  public void clean() {
    dirty = false;
  }
}
