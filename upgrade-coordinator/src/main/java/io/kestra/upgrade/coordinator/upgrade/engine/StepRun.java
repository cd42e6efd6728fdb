package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.coordinator.upgrade.plan.PlannedStep;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One step of an upgrade as the state machine sees it. Mutated only by {@link UpgradeMachine}; the
 * {@code dirty} flag tells the store what to write.
 */
public final class StepRun {

  private final String id;
  private final int seq;
  private final Phase phase;
  private final int group;
  private final String agentId;
  private final CommandType type;
  private final String targetVersion;
  private final Map<String, String> params;
  private final Duration timeout;
  private StepState state;
  private String commandId;
  private Instant sentAt;
  private Instant startedAt;
  private Instant finishedAt;
  private Instant deadlineAt;
  private Instant progressDeadlineAt;
  private FailureReason reason;
  private String message;
  private Integer inFlightTasks;
  private Observed observed;
  private Map<String, String> result;
  private boolean dirty;

  /** A step as stored. */
  public StepRun(
      String id,
      int seq,
      Phase phase,
      int group,
      String agentId,
      CommandType type,
      String targetVersion,
      Map<String, String> params,
      Duration timeout,
      StepState state) {
    this.id = id;
    this.seq = seq;
    this.phase = phase;
    this.group = group;
    this.agentId = agentId;
    this.type = type;
    this.targetVersion = targetVersion;
    this.params = Map.copyOf(params);
    this.timeout = timeout;
    this.state = state;
    this.result = Map.of();
  }

  /** A new step, PENDING, carrying out a planned one. */
  public static StepRun planned(String id, PlannedStep p) {
    return new StepRun(
        id,
        p.seq(),
        p.phase(),
        p.group(),
        p.agentId(),
        p.type(),
        p.targetVersion(),
        p.params(),
        p.timeout(),
        StepState.PENDING);
  }

  /** Restores the fields that change while a step runs (for the store). */
  public StepRun restore(
      String commandId,
      Instant sentAt,
      Instant startedAt,
      Instant finishedAt,
      Instant deadlineAt,
      Instant progressDeadlineAt,
      FailureReason reason,
      String message,
      Integer inFlightTasks,
      Observed observed,
      Map<String, String> result) {
    this.commandId = commandId;
    this.sentAt = sentAt;
    this.startedAt = startedAt;
    this.finishedAt = finishedAt;
    this.deadlineAt = deadlineAt;
    this.progressDeadlineAt = progressDeadlineAt;
    this.reason = reason;
    this.message = message;
    this.inFlightTasks = inFlightTasks;
    this.observed = observed;
    this.result = result == null ? Map.of() : Map.copyOf(result);
    return this;
  }

  void moveTo(StepState next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("step " + id + " cannot move from " + state + " to " + next);
    }
    state = next;
    dirty = true;
  }

  void sent(String newCommandId, Instant now, Duration progressDeadline) {
    moveTo(StepState.SENT);
    commandId = newCommandId;
    sentAt = now;
    deadlineAt = now.plus(timeout);
    progressDeadlineAt = now.plus(progressDeadline);
  }

  void heardAt(Instant now, Duration progressDeadline) {
    progressDeadlineAt = now.plus(progressDeadline);
    dirty = true;
  }

  void report(Observed newObserved, Integer tasks, String newMessage) {
    observed = newObserved;
    inFlightTasks = tasks;
    if (newMessage != null) {
      message = newMessage;
    }
    dirty = true;
  }

  void finish(StepState end, Instant now, FailureReason why, String text, Map<String, String> out) {
    moveTo(end);
    finishedAt = now;
    reason = why;
    message = text;
    if (out != null) {
      result = Map.copyOf(out);
    }
  }

  void started(Instant now) {
    if (startedAt == null) {
      startedAt = now;
      dirty = true;
    }
  }

  public String id() {
    return id;
  }

  public int seq() {
    return seq;
  }

  public Phase phase() {
    return phase;
  }

  public int group() {
    return group;
  }

  public String agentId() {
    return agentId;
  }

  public CommandType type() {
    return type;
  }

  public String targetVersion() {
    return targetVersion;
  }

  public Map<String, String> params() {
    return params;
  }

  public Duration timeout() {
    return timeout;
  }

  public StepState state() {
    return state;
  }

  public String commandId() {
    return commandId;
  }

  public Instant sentAt() {
    return sentAt;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public Instant deadlineAt() {
    return deadlineAt;
  }

  public Instant progressDeadlineAt() {
    return progressDeadlineAt;
  }

  public FailureReason reason() {
    return reason;
  }

  public String message() {
    return message;
  }

  public Integer inFlightTasks() {
    return inFlightTasks;
  }

  public Observed observed() {
    return observed;
  }

  public Map<String, String> result() {
    return result;
  }

  public boolean isDirty() {
    return dirty;
  }

  /** Called by the store once the step is written. */
  public void clean() {
    dirty = false;
  }

  /** A short name for messages: {@code STOP on prod/worker/w1}. */
  public String describe() {
    return type + " on " + agentId;
  }
}
