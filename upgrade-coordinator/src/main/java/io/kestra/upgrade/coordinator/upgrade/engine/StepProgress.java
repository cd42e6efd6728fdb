package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.StepState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Where a step stands: replaced as a whole at each transition, and only forward ({@link
 * StepState#canMoveTo}).
 *
 * @param state the state
 * @param commandId the command sent for the step, or {@code null} before it is sent
 * @param sentAt when the command was sent
 * @param startedAt when the agent first answered
 * @param finishedAt when the step ended
 * @param deadlineAt when the step times out if it has no final answer
 * @param progressDeadlineAt when the step times out if the agent says nothing more
 * @param reason why it failed, or {@code null}
 * @param message the agent's last words, or why the step failed or was skipped
 * @param observed the component as the agent last reported it, or {@code null}
 * @param result the command's outputs ({@code backupId}, {@code stopMode}, ...)
 * @param lastAckAt the agent's own time ({@code at}) of the last ACCEPTED or PROGRESS ack applied,
 *     or {@code null}: an ack no newer than it is a replay or came out of order, and changes
 *     nothing
 * @param lastProgressEvent the last {@code step.progress} event published, or {@code null} before
 *     the first ({@link ProgressThrottle})
 */
public record StepProgress(
    StepState state,
    String commandId,
    Instant sentAt,
    Instant startedAt,
    Instant finishedAt,
    Instant deadlineAt,
    Instant progressDeadlineAt,
    FailureReason reason,
    String message,
    Observed observed,
    Map<String, String> result,
    Instant lastAckAt,
    ProgressReport lastProgressEvent) {

  public StepProgress {
    Objects.requireNonNull(state, "state");
    result = result == null ? Map.of() : Map.copyOf(result);
  }

  /** A step not sent yet. */
  public static StepProgress pending() {
    return new StepProgress(
        StepState.PENDING,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of(),
        null,
        null);
  }

  /** The task runs still running on the component, as last reported; {@code null} if unknown. */
  public Integer inFlightTasks() {
    return observed == null ? null : observed.inFlightTasks();
  }

  StepProgress sent(String newCommandId, Instant now, Instant deadline, Instant progressDeadline) {
    requireForward(StepState.SENT);
    return new StepProgress(
        StepState.SENT,
        newCommandId,
        now,
        null,
        null,
        deadline,
        progressDeadline,
        null,
        null,
        null,
        Map.of(),
        null,
        null);
  }

  /**
   * The agent is at work (ACCEPTED, PROGRESS): RUNNING, heard now, what it said kept.
   *
   * @param ackAt the ack's own time, remembered to recognise a replay
   */
  StepProgress heard(
      Instant now, Instant progressDeadline, Observed seen, String said, Instant ackAt) {
    StepState next = state == StepState.SENT ? StepState.RUNNING : state;
    return new StepProgress(
        next,
        commandId,
        sentAt,
        startedAt == null ? now : startedAt,
        finishedAt,
        deadlineAt,
        progressDeadline,
        reason,
        said == null ? message : said,
        seen,
        result,
        ackAt,
        lastProgressEvent);
  }

  /**
   * Whether an ACCEPTED or PROGRESS ack sent at {@code ackAt} is older than (or as old as) the last
   * one applied: a replay, or a record read out of order.
   */
  boolean isStale(Instant ackAt) {
    return lastAckAt != null && !ackAt.isAfter(lastAckAt);
  }

  /** A {@code step.progress} event saying what the step now holds is published {@code now}. */
  StepProgress progressPublished(Instant now) {
    return new StepProgress(
        state,
        commandId,
        sentAt,
        startedAt,
        finishedAt,
        deadlineAt,
        progressDeadlineAt,
        reason,
        message,
        observed,
        result,
        lastAckAt,
        new ProgressReport(now, inFlightTasks(), message));
  }

  /**
   * The step ends: {@code seen}, {@code outputs} stay as they were when {@code null}; a step that
   * was never answered has no {@code startedAt}.
   */
  StepProgress finished(
      StepState end,
      Instant now,
      boolean answered,
      Observed seen,
      FailureReason why,
      String text,
      Map<String, String> outputs) {
    requireForward(end);
    return new StepProgress(
        end,
        commandId,
        sentAt,
        startedAt == null && answered ? now : startedAt,
        now,
        deadlineAt,
        progressDeadlineAt,
        why,
        text,
        seen == null ? observed : seen,
        outputs == null ? result : outputs,
        lastAckAt,
        lastProgressEvent);
  }

  /**
   * A step that FAILED or TIMED_OUT, to be tried again with a new command (an operator resumed an
   * upgrade paused on its failure): the one way back, and only from a failure. The failure stays in
   * the upgrade's events; a late answer to the old command finds no step.
   */
  StepProgress retried() {
    if (state != StepState.FAILED && state != StepState.TIMED_OUT) {
      throw new IllegalStateException("a step that is " + state + " is not tried again");
    }
    return pending();
  }

  private void requireForward(StepState next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("a step cannot move from " + state + " to " + next);
    }
  }
}
