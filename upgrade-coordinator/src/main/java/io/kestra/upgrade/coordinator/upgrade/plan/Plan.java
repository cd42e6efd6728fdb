package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.KestraVersion;
import java.util.List;

/**
 * What an upgrade would do: its ordered steps, and what preflight found.
 *
 * @param fromVersion the version the fleet runs, or {@code null} when it cannot be told
 * @param toVersion the target, with the fleet's flavour kept
 * @param steps the steps in order (empty when preflight refused)
 * @param findings what preflight found
 * @param restoreOf a downgrade's: the upgrade whose rollback with a restore carries it out (its
 *     backup was taken on the target), then without steps of its own; else {@code null}
 */
public record Plan(
    KestraVersion fromVersion,
    KestraVersion toVersion,
    List<PlannedStep> steps,
    List<Finding> findings,
    String restoreOf) {

  public Plan {
    steps = List.copyOf(steps);
    findings = List.copyOf(findings);
  }

  /** A plan carried out by its own steps. */
  public Plan(
      KestraVersion fromVersion,
      KestraVersion toVersion,
      List<PlannedStep> steps,
      List<Finding> findings) {
    this(fromVersion, toVersion, steps, findings, null);
  }

  /** How long its phases and each server's downtime are expected to take, and at most. */
  public Estimates.PlanEstimate estimate() {
    return Estimates.of(steps);
  }

  /** Whether preflight found nothing that refuses the upgrade. */
  public boolean isExecutable() {
    return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR);
  }

  /** The refusing findings. */
  public List<Finding> errors() {
    return findings.stream().filter(f -> f.severity() == Finding.Severity.ERROR).toList();
  }
}
