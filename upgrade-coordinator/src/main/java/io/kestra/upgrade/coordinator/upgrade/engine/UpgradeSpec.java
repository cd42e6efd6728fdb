package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;
import java.time.Instant;
import java.util.Objects;

/**
 * What an upgrade is: fixed when it is created, never changed afterwards.
 *
 * @param id the upgrade's id
 * @param cluster the cluster upgraded
 * @param strategy how the servers are replaced
 * @param fromVersion the version the fleet ran
 * @param toVersion the version it goes to (the fleet's flavour kept)
 * @param options the request's options, defaults applied
 * @param createdAt when it was requested
 */
public record UpgradeSpec(
    String id,
    String cluster,
    Strategy strategy,
    String fromVersion,
    String toVersion,
    UpgradeOptions options,
    Instant createdAt) {

  public UpgradeSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
