package io.kestra.upgrade.coordinator.metrics;

import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.upgrade.engine.Effects;
import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The upgrades' metrics, from the transitions the state machine makes, counted once their
 * transaction commits (a transition rolled back never happened):
 *
 * <ul>
 *   <li>{@code kestra_upgrade_upgrades_total{outcome, strategy}}: upgrades that ended, by their
 *       terminal state (an upgrade rolled back after it SUCCEEDED ends twice);
 *   <li>{@code kestra_upgrade_duration_seconds{outcome, strategy}}: from RUNNING to that end;
 *   <li>{@code kestra_upgrade_phase_duration_seconds{phase, outcome}}: from the phase's first
 *       command to its last step's end;
 *   <li>{@code kestra_upgrade_steps_total{command, result}}: steps that ended, by their state;
 *   <li>{@code kestra_upgrade_command_round_trip_seconds{command, result}}: command sent → the
 *       agent's final answer (steps the coordinator ended alone, by a deadline, a lost agent or a
 *       broker's refusal, have none).
 * </ul>
 */
@ApplicationScoped
public class UpgradeMetrics {

  private static final String UPGRADE = UpgradeEvent.TYPE_PREFIX + "upgrade.";
  private static final String PHASE = UpgradeEvent.TYPE_PREFIX + "phase.";
  private static final String STEP = UpgradeEvent.TYPE_PREFIX + "step.";

  private final MeterRegistry registry;

  public UpgradeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Counts what {@code fx} says happened to {@code run} once the caller's transaction commits.
   *
   * @param now when the transitions happened
   */
  public void observe(UpgradeRun run, Effects fx, Instant now) {
    List<Runnable> counts = new ArrayList<>();
    for (UpgradeEvent e : fx.events()) {
      if (e.type().startsWith(UPGRADE) && UpgradeState.valueOf(e.state()).isTerminal()) {
        counts.add(ended(run));
      } else if (e.type().startsWith(PHASE)
          && e.phase() != null
          && !e.type().endsWith(".started")) {
        phaseStart(run, e.phase())
            .ifPresent(start -> counts.add(phaseEnded(e.phase(), e.state(), start, now)));
      } else if (e.type().startsWith(STEP) && e.stepId() != null) {
        run.steps().stream()
            .filter(s -> s.id().equals(e.stepId()) && StepState.valueOf(e.state()).isTerminal())
            .findFirst()
            .ifPresent(s -> counts.add(stepEnded(s)));
      }
    }
    if (!counts.isEmpty()) {
      Tx.afterCommit(() -> counts.forEach(Runnable::run));
    }
  }

  private Runnable ended(UpgradeRun run) {
    String outcome = run.state().name();
    String strategy = run.spec().strategy().name();
    Instant started = run.status().startedAt();
    Instant finished = run.status().finishedAt();
    return () -> {
      Counter.builder("kestra.upgrade.upgrades")
          .description("Upgrades that ended, by their terminal state")
          .tag("outcome", outcome)
          .tag("strategy", strategy)
          .register(registry)
          .increment();
      if (started != null && finished != null) {
        Timer.builder("kestra.upgrade.duration")
            .description("How long upgrades ran, from RUNNING to their end")
            .tag("outcome", outcome)
            .tag("strategy", strategy)
            .register(registry)
            .record(Duration.between(started, finished));
      }
    };
  }

  private static Optional<Instant> phaseStart(UpgradeRun run, Phase phase) {
    return run.steps().stream()
        .filter(s -> s.plan().phase() == phase)
        .map(s -> s.progress().sentAt())
        .filter(Objects::nonNull)
        .min(Instant::compareTo);
  }

  private Runnable phaseEnded(Phase phase, String state, Instant start, Instant now) {
    String outcome = state.toLowerCase(Locale.ROOT);
    return () ->
        Timer.builder("kestra.upgrade.phase.duration")
            .description("How long phases took, from their first command to their end")
            .tag("phase", phase.name())
            .tag("outcome", outcome)
            .register(registry)
            .record(Duration.between(start, now));
  }

  private Runnable stepEnded(StepRun step) {
    String command = step.plan().type().name();
    StepState result = step.state();
    Instant sent = step.progress().sentAt();
    Instant finished = step.progress().finishedAt();
    boolean answered =
        sent != null
            && finished != null
            && (result == StepState.SUCCEEDED
                || (result == StepState.FAILED && !decidedAlone(step.progress().reason())));
    return () -> {
      Counter.builder("kestra.upgrade.steps")
          .description("Steps that ended, by their state")
          .tag("command", command)
          .tag("result", result.name())
          .register(registry)
          .increment();
      if (answered) {
        Timer.builder("kestra.upgrade.command.round.trip")
            .description("From a command sent to its agent's final answer")
            .tag("command", command)
            .tag("result", result.name())
            .register(registry)
            .record(Duration.between(sent, finished));
      }
    };
  }

  /** Failures the coordinator decides without an answer of the agent. */
  private static boolean decidedAlone(FailureReason reason) {
    return reason == FailureReason.AGENT_LOST || reason == FailureReason.COMMAND_UNDELIVERABLE;
  }
}
