package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.coordinator.upgrade.plan.Plan;

/** Preflight found reasons not to start; the plan carries them. */
public class PreflightRefusedException extends RuntimeException {

  private final transient Plan plan;

  public PreflightRefusedException(Plan plan) {
    super("preflight refused the upgrade: " + plan.errors().size() + " finding(s)");
    this.plan = plan;
  }

  public Plan plan() {
    return plan;
  }
}
