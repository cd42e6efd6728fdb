package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;

/**
 * A validated request to upgrade a cluster.
 *
 * @param cluster the cluster
 * @param target the version asked for (the fleet's flavour is kept when it names none)
 * @param strategy how
 * @param options options, defaults applied
 */
public record UpgradeRequest(
    String cluster, KestraVersion target, Strategy strategy, UpgradeOptions options) {}
