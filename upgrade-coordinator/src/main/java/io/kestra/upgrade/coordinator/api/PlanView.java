package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.coordinator.upgrade.plan.Estimates;
import io.kestra.upgrade.coordinator.upgrade.plan.Finding;
import io.kestra.upgrade.coordinator.upgrade.plan.Plan;
import io.kestra.upgrade.coordinator.upgrade.plan.PlannedStep;
import java.util.List;

/**
 * The answer of {@code POST /api/v1/upgrades/plan}.
 *
 * @param cluster the cluster
 * @param fromVersion the version the fleet runs, or {@code null}
 * @param toVersion the target, flavour kept
 * @param executable whether preflight lets it start
 * @param findings what preflight found
 * @param steps the steps in order (empty when not executable, or for a downgrade)
 * @param restoreOf a downgrade's: the upgrade whose rollback with a restore carries it out, or
 *     {@code null}
 * @param estimate how long the phases, each server's downtime and the API's are expected to take
 *     (from the cluster's earlier upgrades; absent where a step has no measurement) and at most
 *     (the steps' deadlines: grace periods, kill margin, start and migration budgets)
 */
public record PlanView(
    String cluster,
    String fromVersion,
    String toVersion,
    boolean executable,
    List<Finding> findings,
    List<PlannedStep> steps,
    String restoreOf,
    Estimates.PlanEstimate estimate) {

  static PlanView of(String cluster, Plan plan) {
    return new PlanView(
        cluster,
        plan.fromVersion() == null ? null : plan.fromVersion().toString(),
        plan.toVersion() == null ? null : plan.toVersion().toString(),
        plan.isExecutable(),
        plan.findings(),
        plan.steps(),
        plan.restoreOf(),
        plan.steps().isEmpty() ? null : plan.estimate());
  }
}
