package io.kestra.upgrade.coordinator.upgrade.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * What the coordinator remembers of a cluster's earlier upgrades that a new plan depends on.
 *
 * @param restorable the last upgrade, if it SUCCEEDED with a backup: what a downgrade restores
 * @param steps what each agent's commands took last time: the plan's expectations
 */
public record ClusterHistory(Optional<RestorableUpgrade> restorable, StepHistory steps) {

  /** A cluster never upgraded. */
  public static final ClusterHistory NONE = new ClusterHistory(Optional.empty(), StepHistory.NONE);

  public ClusterHistory {
    Objects.requireNonNull(restorable, "restorable");
    Objects.requireNonNull(steps, "steps");
  }
}
