package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.common.Violations;
import io.kestra.upgrade.coordinator.upgrade.plan.OnFailure;
import io.kestra.upgrade.coordinator.upgrade.plan.PlannedStep;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 *       only moves forward, so a redelivered ack is harmless. Nor does an ACCEPTED or PROGRESS ack
 *       no newer (by its {@code at}) than the last one applied to the step: a replay (PROGRESS acks
 *       are not in the message log) or a record read out of order. A PROGRESS ack publishes a
 *       {@code step.progress} event only when {@link ProgressThrottle} says one is due.
 *   <li>{@link #onSweep}: a step past its deadline is TIMED_OUT (STEP_TIMED_OUT), one whose agent
 *       has been silent past the progress deadline too (NO_PROGRESS); a step whose agent is LOST
 *       fails (AGENT_LOST).
 *   <li>A failed or timed-out step fails the upgrade with its reason; the steps not sent yet are
 *       SKIPPED. With {@code onFailure=ROLLBACK}, an upgrade that touched a server then rolls back
 *       (ROLLING_BACK → ROLLED_BACK or ROLLBACK_FAILED, {@link #advanceRollback}); otherwise, or
 *       when it touched none (a failure in PREPARE), it is FAILED.
 *   <li>When every step SUCCEEDED, the upgrade SUCCEEDED.
 *   <li>{@link #onCommandUndeliverable}: the broker refused a step's command for good; the step
 *       fails (COMMAND_UNDELIVERABLE), and with it the upgrade, as any failed step does. {@link
 *       #onEventRefused} only says so, with an event: an event lost changes no step.
 * </ol>
 */
public final class UpgradeMachine {

  private final Supplier<String> ids;
  private final EventFactory events;
  private final ProgressThrottle progressEvents;

  /**
   * A machine whose progress events are throttled to {@link ProgressThrottle#DEFAULT_INTERVAL}.
   *
   * @param ids source of unique ids for commands and messages
   */
  public UpgradeMachine(Supplier<String> ids) {
    this(ids, new ProgressThrottle(ProgressThrottle.DEFAULT_INTERVAL));
  }

  /**
   * @param ids source of unique ids for commands and messages
   * @param progressEvents when a PROGRESS ack is worth a {@code step.progress} event
   */
  public UpgradeMachine(Supplier<String> ids, ProgressThrottle progressEvents) {
    this.ids = ids;
    this.events = new EventFactory(ids);
    this.progressEvents = progressEvents;
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
        || !ack.agentId().equals(found.get().plan().agentId())) {
      return fx;
    }
    StepRun step = found.get();
    switch (ack.status()) {
      case ACCEPTED, PROGRESS -> {
        if (step.progress().isStale(ack.at())) {
          return fx;
        }
        boolean wasSent = step.state() == StepState.SENT;
        Duration progressDeadline = run.spec().options().progressDeadline();
        step.update(
            step.progress()
                .heard(now, now.plus(progressDeadline), ack.observed(), ack.message(), ack.at()));
        if (wasSent) {
          fx.publish(events.step(run, step, "running", now));
        }
        if (ack.status() == AckStatus.PROGRESS && progressEvents.isDue(step.progress(), now)) {
          step.update(step.progress().progressPublished(now));
          fx.publish(events.step(run, step, "progress", now));
        }
      }
      case SUCCEEDED -> {
        Optional<Problem> problem = outcomeProblem(step.plan(), ack.observed());
        if (problem.isPresent()) {
          end(
              run,
              step,
              StepState.FAILED,
              ack,
              problem.get().reason(),
              problem.get().text(),
              now,
              fx);
        } else {
          succeed(run, step, ack, now, fx);
        }
      }
      case FAILED, REJECTED -> {
        FailureReason why = ack.reason() == null ? FailureReason.DRIVER_ERROR : ack.reason();
        String text =
            (ack.status() == AckStatus.REJECTED ? "rejected: " : "")
                + (ack.message() == null ? why.description() : ack.message());
        end(run, step, StepState.FAILED, ack, why, text, now, fx);
      }
    }
    return fx;
  }

  /** Times out late steps and fails those whose agent is LOST. */
  public Effects onSweep(UpgradeRun run, Set<String> lostAgents, Instant now) {
    Effects fx = new Effects();
    // a copy: a step that ends may start a rollback, whose steps are added to the run; they are
    // swept next time
    for (StepRun step : List.copyOf(run.steps())) {
      StepProgress p = step.progress();
      if (!p.state().isInFlight()) {
        continue;
      }
      if (now.isAfter(p.deadlineAt())) {
        String text = "no final answer within " + step.plan().timeout();
        end(run, step, StepState.TIMED_OUT, null, FailureReason.STEP_TIMED_OUT, text, now, fx);
      } else if (now.isAfter(p.progressDeadlineAt())) {
        String text = "the agent said nothing for " + run.spec().options().progressDeadline();
        end(run, step, StepState.TIMED_OUT, null, FailureReason.NO_PROGRESS, text, now, fx);
      } else if (lostAgents.contains(step.plan().agentId())) {
        String text = step.plan().agentId() + " stopped sending heartbeats";
        end(run, step, StepState.FAILED, null, FailureReason.AGENT_LOST, text, now, fx);
      }
    }
    return fx;
  }

  /**
   * The broker refused, for good, the command {@code commandId} (it never reached its agent): its
   * step fails with COMMAND_UNDELIVERABLE. A step already over is left as it is.
   *
   * @param why the broker's reason
   */
  public Effects onCommandUndeliverable(UpgradeRun run, String commandId, String why, Instant now) {
    Effects fx = new Effects();
    Optional<StepRun> found = run.stepByCommand(commandId);
    if (found.isEmpty() || found.get().state().isTerminal()) {
      return fx;
    }
    end(
        run,
        found.get(),
        StepState.FAILED,
        null,
        FailureReason.COMMAND_UNDELIVERABLE,
        Violations.clipMessage("the broker refused the command: " + why),
        now,
        fx);
    return fx;
  }

  /**
   * The broker refused, for good, outbox row {@code rowId}, the upgrade's event {@code eventType}:
   * an {@code io.kestra.upgrade.outbox.refused} event says which and why; nothing else changes.
   */
  public Effects onEventRefused(
      UpgradeRun run, long rowId, String eventType, String why, Instant now) {
    Effects fx = new Effects();
    fx.publish(
        events.refused(
            run,
            rowId,
            "event " + eventType + " (outbox row " + rowId + ") refused by the broker: " + why,
            now));
    return fx;
  }

  private void succeed(UpgradeRun run, StepRun step, Ack ack, Instant now, Effects fx) {
    step.update(
        step.progress()
            .finished(
                StepState.SUCCEEDED, now, true, ack.observed(), null, ack.message(), ack.result()));
    fx.publish(events.step(run, step, "succeeded", now));
    // the rollback's second backup is its own: the upgrade's backup stays the one to restore
    if (step.plan().phase() == Phase.BACKUP && ack.result().containsKey(Ack.RESULT_BACKUP_ID)) {
      run.backupTaken(ack.result().get(Ack.RESULT_BACKUP_ID));
    }
    if (run.state() != UpgradeState.RUNNING
        && run.state() != UpgradeState.PAUSED
        && run.state() != UpgradeState.ROLLING_BACK) {
      return;
    }
    Phase phase = step.plan().phase();
    boolean phaseDone =
        run.steps().stream()
            .filter(s -> s.plan().phase() == phase)
            .allMatch(s -> s.state() == StepState.SUCCEEDED);
    if (phaseDone) {
      fx.publish(events.phase(run, phase, "succeeded", null, now));
    }
    if (run.state() == UpgradeState.ROLLING_BACK) {
      advanceRollback(run, now, fx);
    } else if (run.state() == UpgradeState.RUNNING) {
      advance(run, now, fx);
    }
  }

  /**
   * Ends a step FAILED or TIMED_OUT, and with it the upgrade: FAILED, or ROLLING_BACK when its
   * policy is {@link OnFailure#ROLLBACK} and it touched a server. A rollback's own step that fails
   * ends the rollback ({@link #advanceRollback}); a step of the upgrade that fails while it rolls
   * back (one that was in flight beside the first failure) changes nothing more.
   *
   * @param answer the agent's final answer, or {@code null} when the coordinator decided alone
   */
  private void end(
      UpgradeRun run,
      StepRun step,
      StepState end,
      Ack answer,
      FailureReason why,
      String text,
      Instant now,
      Effects fx) {
    Observed seen = answer == null ? null : answer.observed();
    step.update(step.progress().finished(end, now, answer != null, seen, why, text, null));
    fx.publish(events.step(run, step, end == StepState.TIMED_OUT ? "timed_out" : "failed", now));
    if (run.state() == UpgradeState.ROLLING_BACK) {
      if (step.plan().phase().isRollback()) {
        fx.publish(events.phase(run, step.plan().phase(), "failed", why, now));
      }
      advanceRollback(run, now, fx);
      return;
    }
    if (run.state() != UpgradeState.RUNNING && run.state() != UpgradeState.PAUSED) {
      return;
    }
    run.fail(
        why,
        step.describe()
            + (end == StepState.TIMED_OUT ? " timed out: " : " failed: ")
            + why.description()
            + (text == null ? "" : " (" + text + ")"));
    fx.publish(events.phase(run, step.plan().phase(), "failed", why, now));
    if (run.spec().options().onFailure() == OnFailure.PAUSE) {
      // nothing is skipped: resume retries the failed step and goes on
      if (run.state() == UpgradeState.RUNNING) {
        run.moveTo(UpgradeState.PAUSED, now);
        fx.publish(
            events.control(run, "paused", "paused on a failure: " + run.status().message(), now));
        fx.publish(events.upgrade(run, now));
      }
      return;
    }
    skipPending(run, false, "not sent: the upgrade failed", now, fx);
    if (run.spec().options().onFailure() == OnFailure.ROLLBACK
        && (RollbackPlanner.touchedAServer(run) || RollbackPlanner.maintenanceMayBeOn(run))) {
      run.moveTo(UpgradeState.ROLLING_BACK, now);
      fx.publish(events.upgrade(run, now));
      advanceRollback(run, now, fx);
      return;
    }
    if (run.status().backupId() != null
        && !RollbackPlanner.touchedAServer(run)
        && run.steps().stream()
            .anyMatch(
                s -> s.plan().type() == CommandType.MIGRATE && s.progress().sentAt() != null)) {
      // MANUAL_AHEAD's migration failed while the old version served: nothing stopped, nothing to
      // roll back, but the schema may be part-migrated
      run.fail(
          run.status().reason(),
          Violations.clipMessage(
              run.status().message()
                  + "; every server still runs "
                  + run.spec().fromVersion()
                  + ", the schema may be partly migrated: backup "
                  + run.status().backupId()
                  + ", taken before the migration, restores it"));
    }
    String exit = sendExits(run, now, fx);
    if (!exit.isEmpty()) {
      run.fail(run.status().reason(), Violations.clipMessage(run.status().message() + exit));
    }
    run.moveTo(UpgradeState.FAILED, now);
    fx.publish(events.upgrade(run, now));
  }

  /**
   * An operator pauses the upgrade: the steps in flight finish, nothing new is sent until {@link
   * #resume}. A step that fails meanwhile applies the upgrade's failure policy. Pausing a PAUSED
   * upgrade changes nothing.
   *
   * @param who the operator, for the event
   * @throws ControlRefusedException unless RUNNING or PAUSED
   */
  public Effects pause(UpgradeRun run, String who, Instant now) {
    Effects fx = new Effects();
    if (run.state() == UpgradeState.PAUSED) {
      return fx;
    }
    require(run, "pause", UpgradeState.RUNNING);
    run.moveTo(UpgradeState.PAUSED, now);
    fx.publish(events.control(run, "paused", "paused by " + who, now));
    fx.publish(events.upgrade(run, now));
    return fx;
  }

  /**
   * An operator resumes a PAUSED upgrade: the steps that failed (with {@code onFailure=PAUSE}) are
   * tried again with new commands, and what comes next is sent, once the steps in flight are over.
   * Resuming a RUNNING upgrade changes nothing.
   *
   * @throws ControlRefusedException unless PAUSED or RUNNING
   */
  public Effects resume(UpgradeRun run, String who, Instant now) {
    Effects fx = new Effects();
    if (run.state() == UpgradeState.RUNNING) {
      return fx;
    }
    require(run, "resume", UpgradeState.PAUSED);
    List<StepRun> failed =
        run.steps().stream()
            .filter(s -> s.state() == StepState.FAILED || s.state() == StepState.TIMED_OUT)
            .toList();
    for (StepRun step : failed) {
      step.update(step.progress().retried());
      fx.publish(events.step(run, step, "retried", now));
    }
    if (!failed.isEmpty()) {
      run.fail(null, null);
    }
    run.moveTo(UpgradeState.RUNNING, now);
    fx.publish(
        events.control(
            run,
            "resumed",
            "resumed by "
                + who
                + (failed.isEmpty()
                    ? ""
                    : ", trying again: "
                        + String.join(", ", failed.stream().map(StepRun::describe).toList())),
            now));
    fx.publish(events.upgrade(run, now));
    advance(run, true, now, fx);
    return fx;
  }

  /**
   * An operator aborts the upgrade, or its rollback: nothing more is sent, the steps in flight
   * finish on their own, the servers are left as they are, and the upgrade says where each stands.
   * Aborting an ABORTED upgrade changes nothing.
   *
   * @throws ControlRefusedException unless RUNNING, PAUSED, ROLLING_BACK or ABORTED
   */
  public Effects abort(UpgradeRun run, String who, Instant now) {
    Effects fx = new Effects();
    if (run.state() == UpgradeState.ABORTED) {
      return fx;
    }
    require(run, "abort", UpgradeState.RUNNING, UpgradeState.PAUSED, UpgradeState.ROLLING_BACK);
    skipPending(run, false, "not sent: the upgrade was aborted", now, fx);
    skipPending(run, true, "not sent: the upgrade was aborted", now, fx);
    String exit = sendExits(run, now, fx);
    run.fail(
        FailureReason.ABORTED,
        Violations.clipMessage("aborted by " + who + "; " + RollbackSummary.of(run) + exit));
    run.moveTo(UpgradeState.ABORTED, now);
    fx.publish(events.control(run, "aborted", run.status().message(), now));
    fx.publish(events.upgrade(run, now));
    return fx;
  }

  /**
   * An operator rolls the upgrade back: while it runs or is paused (once the steps in flight are
   * over), after it FAILED, or after it SUCCEEDED: a FULL_STOP upgrade if {@code restore} (the
   * schema was migrated: only a restore takes it back, and it drops what was written since the
   * backup); a ROLLING one by a rolling restart on the previous version (it left a schema that
   * version runs on), or, if {@code restore}, by restoring its backup. Rolling back a ROLLING_BACK
   * upgrade changes nothing: never two rollbacks.
   *
   * @param restore the operator's explicit consent to restore the backup of a SUCCEEDED upgrade
   * @throws ControlRefusedException in any other state, or after SUCCEEDED without {@code restore}
   *     or without a backup
   */
  public Effects rollback(UpgradeRun run, boolean restore, String who, Instant now) {
    Effects fx = new Effects();
    UpgradeState state = run.state();
    if (state == UpgradeState.ROLLING_BACK) {
      return fx;
    }
    require(
        run,
        "roll back",
        UpgradeState.RUNNING,
        UpgradeState.PAUSED,
        UpgradeState.FAILED,
        UpgradeState.SUCCEEDED);
    // a ROLLING upgrade left a schema its previous version runs on: a rolling restart takes it back
    boolean rolling = run.spec().strategy() == Strategy.ROLLING;
    if (state == UpgradeState.SUCCEEDED && rolling && restore && run.status().backupId() == null) {
      throw new ControlRefusedException(
          state,
          "upgrade "
              + run.id()
              + " took no backup: there is none to restore; without {\"restore\": true} each"
              + " server restarts on "
              + run.spec().fromVersion()
              + ", one at a time");
    }
    if (state == UpgradeState.SUCCEEDED
        && !rolling
        && (!restore || run.status().backupId() == null)) {
      throw new ControlRefusedException(
          state,
          run.status().backupId() == null
              ? "upgrade "
                  + run.id()
                  + " SUCCEEDED without a backup: its migrated schema cannot be taken back"
              : "upgrade "
                  + run.id()
                  + " SUCCEEDED and its schema was migrated: only restoring backup "
                  + run.status().backupId()
                  + " takes it back, which drops what was written since; ask with"
                  + " {\"restore\": true}");
    }
    fx.publish(events.rollback(run, "requested", "rollback requested by " + who, now));
    if (state == UpgradeState.RUNNING || state == UpgradeState.PAUSED) {
      skipPending(run, false, "not sent: an operator asked for a rollback", now, fx);
      run.fail(FailureReason.ROLLBACK_REQUESTED, "rollback requested by " + who);
    } else if (state == UpgradeState.SUCCEEDED && !restore) {
      run.fail(
          FailureReason.ROLLBACK_REQUESTED,
          "rolling back requested by "
              + who
              + " after the rolling upgrade SUCCEEDED: each server restarts on "
              + run.spec().fromVersion()
              + ", one at a time");
    } else if (state == UpgradeState.SUCCEEDED) {
      run.fail(
          FailureReason.ROLLBACK_REQUESTED,
          "rollback with restore requested by "
              + who
              + " after the upgrade SUCCEEDED: restoring backup "
              + run.status().backupId()
              + " drops what was written since it was taken (the rollback's second backup keeps"
              + " it)");
    }
    if (state.isTerminal()) {
      run.reopen(UpgradeState.ROLLING_BACK);
    } else {
      run.moveTo(UpgradeState.ROLLING_BACK, now);
    }
    fx.publish(events.upgrade(run, now));
    advanceRollback(run, state == UpgradeState.SUCCEEDED && restore, now, fx);
    return fx;
  }

  private static void require(UpgradeRun run, String control, UpgradeState... allowed) {
    if (!List.of(allowed).contains(run.state())) {
      throw new ControlRefusedException(
          run.state(), "cannot " + control + " upgrade " + run.id() + ": it is " + run.state());
    }
  }

  /**
   * SKIPs the PENDING steps of the upgrade, or of its rollback, but a maintenance mode exit while
   * maintenance mode may be on: every way out of the upgrade sends it ({@link #sendExits}).
   */
  private void skipPending(UpgradeRun run, boolean rollback, String why, Instant now, Effects fx) {
    boolean keepExits = RollbackPlanner.maintenanceMayBeOn(run);
    for (StepRun other : run.steps()) {
      boolean kept =
          other.plan().type() == CommandType.MAINTENANCE_EXIT
              && (keepExits || other.plan().phase() == Phase.ROLLBACK_MAINTENANCE_EXIT);
      if (other.state() == StepState.PENDING
          && other.plan().phase().isRollback() == rollback
          && !kept) {
        skip(run, other, why, now, fx);
      }
    }
  }

  private void skip(UpgradeRun run, StepRun step, String why, Instant now, Effects fx) {
    step.update(step.progress().finished(StepState.SKIPPED, now, false, null, null, why, null));
    fx.publish(events.step(run, step, "skipped", now));
  }

  /**
   * On a way out of the upgrade that is not a rollback (FAILED, ABORTED): sends the maintenance
   * mode exits {@link #skipPending} kept, whatever their group, the upgrade's or its rollback's.
   *
   * @return what to add to the upgrade's message: the exit sent, or that none could be
   */
  private String sendExits(UpgradeRun run, Instant now, Effects fx) {
    List<StepRun> exits =
        run.steps().stream()
            .filter(
                s ->
                    s.state() == StepState.PENDING
                        && s.plan().type() == CommandType.MAINTENANCE_EXIT)
            .toList();
    if (exits.isEmpty()) {
      return RollbackPlanner.maintenanceMayBeOn(run)
          ? "; maintenance mode may still be on: exit it through Kestra's API"
          : "";
    }
    for (StepRun exit : exits) {
      dispatch(run, exit, now, fx);
    }
    return "; maintenance mode exit sent to " + exits.get(0).plan().agentId();
  }

  /**
   * Moves a rollback on. It waits until no step of the upgrade is in flight (their outcome says
   * what to undo), then plans it ({@link RollbackPlanner}) once; it sends its groups one after the
   * other. A failed step of ROLLBACK_CHECK, ROLLBACK_BACKUP or RESTORE halts it, and of
   * ROLLBACK_STOP when it restores (starting the previous version on a schema not restored, or
   * restoring without the second backup or under a running server, would make things worse); any
   * other failed step does not (the other servers are still started: a lost worker keeps no
   * executor down). Once nothing is in flight or left to send: ROLLED_BACK if every step of the
   * rollback succeeded, ROLLBACK_FAILED otherwise. Never a second rollback.
   */
  private void advanceRollback(UpgradeRun run, Instant now, Effects fx) {
    advanceRollback(run, false, now, fx);
  }

  /**
   * {@link #advanceRollback(UpgradeRun, Instant, Effects)}, restoring the backup whatever the steps
   * say when {@code forceRestore} (an operator's rollback of a SUCCEEDED upgrade).
   */
  private void advanceRollback(UpgradeRun run, boolean forceRestore, Instant now, Effects fx) {
    if (run.steps().stream()
        .anyMatch(s -> s.state().isInFlight() && !s.plan().phase().isRollback())) {
      return;
    }
    List<StepRun> rollback =
        run.steps().stream().filter(s -> s.plan().phase().isRollback()).toList();
    if (rollback.isEmpty()) {
      Optional<RollbackPlanner.Rollback> planned = RollbackPlanner.plan(run, forceRestore);
      if (planned.isEmpty()) {
        run.fail(run.status().reason(), "nothing to roll back: no server was touched");
        run.moveTo(UpgradeState.ROLLED_BACK, now);
        fx.publish(events.rollback(run, "succeeded", run.status().message(), now));
        fx.publish(events.upgrade(run, now));
        return;
      }
      RollbackPlanner.Rollback plan = planned.get();
      if (plan.impossible() != null) {
        rollbackFailed(run, plan.impossible() + sendExits(run, now, fx), now, fx);
        return;
      }
      // the rollback exits maintenance mode itself, last: the upgrade's exit is not sent
      for (StepRun exit : run.steps()) {
        if (exit.state() == StepState.PENDING
            && exit.plan().type() == CommandType.MAINTENANCE_EXIT) {
          skip(run, exit, "not sent: the rollback exits maintenance mode", now, fx);
        }
      }
      run.addSteps(plan.steps().stream().map(p -> StepRun.added(ids.get(), p)).toList());
      fx.publish(
          events.rollback(
              run,
              "started",
              plan.restore()
                  ? "rolling back to "
                      + run.spec().fromVersion()
                      + ": the schema may have been migrated, backup "
                      + run.status().backupId()
                      + " is restored after a second backup"
                  : "rolling back to "
                      + run.spec().fromVersion()
                      + ": the schema was not migrated, nothing is restored",
              now));
      rollback = run.steps().stream().filter(s -> s.plan().phase().isRollback()).toList();
    }
    boolean restores = rollback.stream().anyMatch(s -> s.plan().phase() == Phase.RESTORE);
    boolean halted =
        rollback.stream()
            .anyMatch(
                s ->
                    (s.state() == StepState.FAILED || s.state() == StepState.TIMED_OUT)
                        && (s.plan().phase() == Phase.ROLLBACK_CHECK
                            || s.plan().phase() == Phase.ROLLBACK_BACKUP
                            || s.plan().phase() == Phase.RESTORE
                            || (restores && s.plan().phase() == Phase.ROLLBACK_STOP)));
    if (halted) {
      skipPending(run, true, "not sent: the rollback failed before it", now, fx);
    }
    if (rollback.stream().anyMatch(s -> s.state().isInFlight())) {
      return;
    }
    OptionalInt group =
        rollback.stream()
            .filter(s -> s.state() == StepState.PENDING)
            .mapToInt(s -> s.plan().group())
            .min();
    if (group.isPresent()) {
      dispatchGroup(run, group.getAsInt(), now, fx);
      return;
    }
    List<StepRun> failed = rollback.stream().filter(s -> s.state() != StepState.SUCCEEDED).toList();
    if (failed.isEmpty()) {
      run.fail(
          run.status().reason(),
          Violations.clipMessage(
              "rolled back to "
                  + run.spec().fromVersion()
                  + " after: "
                  + run.status().message()
                  + RollbackSummary.dropped(run)));
      run.moveTo(UpgradeState.ROLLED_BACK, now);
      fx.publish(events.rollback(run, "succeeded", RollbackSummary.of(run), now));
      fx.publish(events.upgrade(run, now));
    } else {
      StepRun first = failed.get(0);
      rollbackFailed(
          run,
          first.describe()
              + " "
              + first.state().name().toLowerCase(java.util.Locale.ROOT)
              + (first.progress().message() == null ? "" : ": " + first.progress().message()),
          now,
          fx);
    }
  }

  private void rollbackFailed(UpgradeRun run, String why, Instant now, Effects fx) {
    String summary = RollbackSummary.of(run);
    run.fail(
        run.status().reason(),
        Violations.clipMessage(
            "the rollback failed: " + why + "; " + summary + "; after: " + run.status().message()));
    run.moveTo(UpgradeState.ROLLBACK_FAILED, now);
    fx.publish(events.rollback(run, "failed", Violations.clipMessage(why + "; " + summary), now));
    fx.publish(events.upgrade(run, now));
  }

  private void advance(UpgradeRun run, Instant now, Effects fx) {
    advance(run, false, now, fx);
  }

  /**
   * Sends the next group once the current one SUCCEEDED, or ends the upgrade SUCCEEDED. Before the
   * first group of a phase in {@code pauseBefore} it pauses instead, unless {@code gateOpen} (an
   * operator's resume): once a step of the phase is sent, the gate is behind it.
   */
  private void advance(UpgradeRun run, boolean gateOpen, Instant now, Effects fx) {
    OptionalInt group =
        run.steps().stream()
            .filter(s -> s.state() != StepState.SUCCEEDED)
            .mapToInt(s -> s.plan().group())
            .min();
    if (group.isEmpty()) {
      run.moveTo(UpgradeState.SUCCEEDED, now);
      fx.publish(events.upgrade(run, now));
      return;
    }
    List<StepRun> current =
        run.steps().stream().filter(s -> s.plan().group() == group.getAsInt()).toList();
    if (current.stream()
        .anyMatch(s -> s.state() != StepState.PENDING && s.state() != StepState.SUCCEEDED)) {
      return;
    }
    Phase phase = current.get(0).plan().phase();
    if (!gateOpen && run.spec().options().pauseBefore().contains(phase) && untouched(run, phase)) {
      run.moveTo(UpgradeState.PAUSED, now);
      fx.publish(
          events.control(
              run, "paused", "paused before " + phase + " (pauseBefore): resume to go on", now));
      fx.publish(events.upgrade(run, now));
      return;
    }
    dispatchGroup(run, group.getAsInt(), now, fx);
  }

  private static boolean untouched(UpgradeRun run, Phase phase) {
    return run.steps().stream()
        .filter(s -> s.plan().phase() == phase)
        .allMatch(s -> s.progress().sentAt() == null);
  }

  /** Sends the PENDING steps of {@code group}, its phase's start said when it is the first. */
  private void dispatchGroup(UpgradeRun run, int group, Instant now, Effects fx) {
    List<StepRun> current = run.steps().stream().filter(s -> s.plan().group() == group).toList();
    Phase phase = current.get(0).plan().phase();
    if (untouched(run, phase)) {
      fx.publish(events.phase(run, phase, "started", null, now));
    }
    for (StepRun step : current) {
      if (step.state() == StepState.PENDING) {
        dispatch(run, step, now, fx);
      }
    }
  }

  private void dispatch(UpgradeRun run, StepRun step, Instant now, Effects fx) {
    PlannedStep plan = step.plan();
    String commandId = ids.get();
    Instant deadline = now.plus(plan.timeout());
    Instant progressDeadline = now.plus(run.spec().options().progressDeadline());
    step.update(step.progress().sent(commandId, now, deadline, progressDeadline));
    fx.send(
        new Command(
            Message.SCHEMA_VERSION,
            ids.get(),
            commandId,
            run.id(),
            step.id(),
            plan.agentId(),
            plan.type(),
            plan.targetVersion(),
            params(run, plan),
            now,
            deadline,
            null));
    fx.publish(events.step(run, step, "sent", now));
  }

  /**
   * A step's parameters as sent. The rollback's RESTORE is told the second backup (known only once
   * taken), so that its agent counts the executions the restore drops.
   */
  private static Map<String, String> params(UpgradeRun run, PlannedStep plan) {
    if (plan.phase() != Phase.RESTORE) {
      return plan.params();
    }
    Optional<String> second =
        run.steps().stream()
            .filter(s -> s.plan().phase() == Phase.ROLLBACK_BACKUP)
            .map(s -> s.progress().result().get(Ack.RESULT_BACKUP_ID))
            .filter(java.util.Objects::nonNull)
            .findFirst();
    if (second.isEmpty()) {
      return plan.params();
    }
    Map<String, String> params = new java.util.LinkedHashMap<>(plan.params());
    params.put(Command.PARAM_COMPARE_WITH, second.get());
    return params;
  }

  /**
   * Why a successful START, RESTART or VERIFY does not count: the component must run the target
   * version (flavour included) and be ready.
   */
  static Optional<Problem> outcomeProblem(PlannedStep step, Observed observed) {
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
