package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.common.UpgradeState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The state machine of an upgrade. Pure: it changes an {@link UpgradeRun} in memory and returns the
 * commands and events the change causes; the caller stores both in one transaction.
 *
 * <ol>
 *   <li>{@link #start}: PENDING → RUNNING (preflight passed before), the first group is sent.
 *   <li>Steps of one group run in parallel; when every step of the group SUCCEEDED, the next group
 *       is sent. Phases start with their first step and succeed with their last.
 *   <li>{@link #onAck}: ACCEPTED and PROGRESS move a step to RUNNING and push its progress
 *       deadline; SUCCEEDED ends it (a START, RESTART or VERIFY must report the target version and
 *       ready); FAILED and REJECTED fail it. An ack for a finished step changes nothing: a step
 *       only moves forward, so a redelivered ack is harmless.
 *   <li>{@link #onSweep}: a step past its deadline is TIMED_OUT (STEP_TIMED_OUT), one whose agent
 *       has been silent past the progress deadline too (NO_PROGRESS); a step whose agent is LOST
 *       fails (AGENT_LOST).
 *   <li>A failed or timed-out step fails the upgrade with its reason; the steps not sent yet are
 *       SKIPPED. (Automatic rollback comes with a later release.)
 *   <li>When every step SUCCEEDED, the upgrade SUCCEEDED.
 * </ol>
 */
public final class UpgradeMachine {

  private final Supplier<String> ids;
  private final EventFactory events;

  /**
   * @param ids source of unique ids for commands and messages
   */
  public UpgradeMachine(Supplier<String> ids) {
    this.ids = ids;
    this.events = new EventFactory(ids);
  }

  /** Starts a PENDING upgrade whose preflight passed: sends the first group. */
  public Effects start(UpgradeRun run, Instant now) {
    Effects fx = new Effects();
    fx.publish(events.upgrade(run, now));
    fx.publish(events.phase(run, Phase.PREFLIGHT, "started", null, now));
    fx.publish(events.phase(run, Phase.PREFLIGHT, "succeeded", null, now));
    run.moveTo(UpgradeState.RUNNING, now);
    fx.publish(events.upgrade(run, now));
    advance(run, now, fx);
    return fx;
  }

  /** Applies an agent's ack to the step that carries its command. */
  public Effects onAck(UpgradeRun run, Ack ack, Instant now) {
    Effects fx = new Effects();
    Optional<StepRun> found = run.stepByCommand(ack.commandId());
    if (found.isEmpty()
        || found.get().state().isTerminal()
        || !ack.agentId().equals(found.get().agentId())) {
      return fx;
    }
    StepRun step = found.get();
    Duration progressDeadline = run.options().progressDeadline();
    switch (ack.status()) {
      case ACCEPTED, PROGRESS -> {
        step.heardAt(now, progressDeadline);
        if (step.state() == StepState.SENT) {
          step.moveTo(StepState.RUNNING);
          step.started(now);
          step.report(ack.observed(), ack.observed().inFlightTasks(), ack.message());
          fx.publish(events.step(run, step, "running", now));
        } else {
          step.report(ack.observed(), ack.observed().inFlightTasks(), ack.message());
        }
        if (ack.status() == io.kestra.upgrade.common.AckStatus.PROGRESS) {
          fx.publish(events.step(run, step, "progress", now));
        }
      }
      case SUCCEEDED -> {
        step.started(now);
        step.report(ack.observed(), ack.observed().inFlightTasks(), null);
        Optional<Problem> problem = outcomeProblem(step, ack.observed());
        if (problem.isPresent()) {
          failStep(
              run, step, StepState.FAILED, problem.get().reason(), problem.get().text(), now, fx);
        } else {
          succeed(run, step, ack, now, fx);
        }
      }
      case FAILED, REJECTED -> {
        step.started(now);
        step.report(ack.observed(), ack.observed().inFlightTasks(), null);
        FailureReason why = ack.reason() == null ? FailureReason.DRIVER_ERROR : ack.reason();
        String text =
            (ack.status() == io.kestra.upgrade.common.AckStatus.REJECTED ? "rejected: " : "")
                + (ack.message() == null ? why.description() : ack.message());
        failStep(run, step, StepState.FAILED, why, text, now, fx);
      }
    }
    return fx;
  }

  /** Times out late steps and fails those whose agent is LOST. */
  public Effects onSweep(UpgradeRun run, Set<String> lostAgents, Instant now) {
    Effects fx = new Effects();
    for (StepRun step : run.steps()) {
      if (!step.state().isInFlight()) {
        continue;
      }
      if (now.isAfter(step.deadlineAt())) {
        failStep(
            run,
            step,
            StepState.TIMED_OUT,
            FailureReason.STEP_TIMED_OUT,
            "no final answer within " + step.timeout(),
            now,
            fx);
      } else if (now.isAfter(step.progressDeadlineAt())) {
        failStep(
            run,
            step,
            StepState.TIMED_OUT,
            FailureReason.NO_PROGRESS,
            "the agent said nothing for " + run.options().progressDeadline(),
            now,
            fx);
      } else if (lostAgents.contains(step.agentId())) {
        failStep(
            run,
            step,
            StepState.FAILED,
            FailureReason.AGENT_LOST,
            step.agentId() + " stopped sending heartbeats",
            now,
            fx);
      }
    }
    return fx;
  }

  private void succeed(UpgradeRun run, StepRun step, Ack ack, Instant now, Effects fx) {
    step.finish(StepState.SUCCEEDED, now, null, ack.message(), ack.result());
    fx.publish(events.step(run, step, "succeeded", now));
    if (step.type() == CommandType.BACKUP && ack.result().containsKey(Ack.RESULT_BACKUP_ID)) {
      run.backupTaken(ack.result().get(Ack.RESULT_BACKUP_ID));
    }
    if (run.state() != UpgradeState.RUNNING) {
      return;
    }
    boolean phaseDone =
        run.steps().stream()
            .filter(s -> s.phase() == step.phase())
            .allMatch(s -> s.state() == StepState.SUCCEEDED);
    if (phaseDone) {
      fx.publish(events.phase(run, step.phase(), "succeeded", null, now));
    }
    advance(run, now, fx);
  }

  private void failStep(
      UpgradeRun run,
      StepRun step,
      StepState end,
      FailureReason why,
      String text,
      Instant now,
      Effects fx) {
    step.finish(end, now, why, text, null);
    fx.publish(events.step(run, step, end == StepState.TIMED_OUT ? "timed_out" : "failed", now));
    if (run.state() != UpgradeState.RUNNING) {
      return;
    }
    run.fail(
        why,
        step.describe()
            + (end == StepState.TIMED_OUT ? " timed out: " : " failed: ")
            + why.description()
            + (text == null ? "" : " (" + text + ")"));
    fx.publish(events.phase(run, step.phase(), "failed", why, now));
    for (StepRun other : run.steps()) {
      if (other.state() == StepState.PENDING) {
        other.finish(StepState.SKIPPED, now, null, "not sent: the upgrade failed", null);
        fx.publish(events.step(run, other, "skipped", now));
      }
    }
    run.moveTo(UpgradeState.FAILED, now);
    fx.publish(events.upgrade(run, now));
  }

  private void advance(UpgradeRun run, Instant now, Effects fx) {
    OptionalInt group =
        run.steps().stream()
            .filter(s -> s.state() != StepState.SUCCEEDED)
            .mapToInt(StepRun::group)
            .min();
    if (group.isEmpty()) {
      run.moveTo(UpgradeState.SUCCEEDED, now);
      fx.publish(events.upgrade(run, now));
      return;
    }
    List<StepRun> current =
        run.steps().stream().filter(s -> s.group() == group.getAsInt()).toList();
    if (current.stream()
        .anyMatch(s -> s.state() != StepState.PENDING && s.state() != StepState.SUCCEEDED)) {
      return;
    }
    Phase phase = current.get(0).phase();
    boolean phaseUntouched =
        run.steps().stream().filter(s -> s.phase() == phase).allMatch(s -> s.sentAt() == null);
    if (phaseUntouched) {
      fx.publish(events.phase(run, phase, "started", null, now));
    }
    for (StepRun step : current) {
      if (step.state() == StepState.PENDING) {
        dispatch(run, step, now, fx);
      }
    }
  }

  private void dispatch(UpgradeRun run, StepRun step, Instant now, Effects fx) {
    String commandId = ids.get();
    step.sent(commandId, now, run.options().progressDeadline());
    fx.send(
        new Command(
            Message.SCHEMA_VERSION,
            ids.get(),
            commandId,
            run.id(),
            step.id(),
            step.agentId(),
            step.type(),
            step.targetVersion(),
            step.params(),
            now,
            step.deadlineAt(),
            null));
    fx.publish(events.step(run, step, "sent", now));
  }

  /**
   * Why a successful START, RESTART or VERIFY does not count: the component must run the target
   * version (flavour included) and be ready.
   */
  static Optional<Problem> outcomeProblem(StepRun step, Observed observed) {
    boolean checked =
        step.type() == CommandType.START
            || step.type() == CommandType.RESTART
            || step.type() == CommandType.PING;
    if (!checked || step.targetVersion() == null) {
      return Optional.empty();
    }
    Optional<KestraVersion> seen = KestraVersion.tryParse(observed.version());
    KestraVersion wanted = KestraVersion.parse(step.targetVersion());
    if (seen.isEmpty() || !seen.get().equals(wanted)) {
      return Optional.of(
          new Problem(
              FailureReason.VERSION_MISMATCH,
              step.agentId() + " reports version " + observed.version() + ", expected " + wanted));
    }
    if (!observed.ready()) {
      return Optional.of(
          new Problem(
              FailureReason.NOT_READY, step.agentId() + " runs " + wanted + " but is not ready"));
    }
    return Optional.empty();
  }

  /** Why an answer does not count as success. */
  record Problem(FailureReason reason, String text) {}
}
