package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Phase;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@link UpgradeOptions} to change field by field, for tests that say only what differs from some
 * options: {@code Fleets.with(Fleets.defaults(), o -> o.backup = false)}.
 */
public final class OptionsCopy {
  public boolean backup;
  public MigrationMode migration;
  public Duration gracePeriod;
  public Duration killMargin;
  public Duration stepTimeout;
  public Duration progressDeadline;
  public OnFailure onFailure;
  public boolean allowDowngrade;
  public boolean acknowledgeBreakingChanges;
  public boolean maintenanceMode;
  public Map<ComponentKind, Integer> maxUnavailable;
  public Duration minHealthy;
  public boolean restart;
  public Set<Phase> pauseBefore;
  public Map<ComponentKind, String> configFiles;

  OptionsCopy(UpgradeOptions d) {
    backup = d.backup();
    migration = d.migration();
    gracePeriod = d.gracePeriod();
    killMargin = d.killMargin();
    stepTimeout = d.stepTimeout();
    progressDeadline = d.progressDeadline();
    onFailure = d.onFailure();
    allowDowngrade = d.allowDowngrade();
    acknowledgeBreakingChanges = d.acknowledgeBreakingChanges();
    maintenanceMode = d.maintenanceMode();
    maxUnavailable = d.maxUnavailable();
    minHealthy = d.minHealthy();
    restart = d.restart();
    pauseBefore = d.pauseBefore();
    configFiles = d.configFiles();
  }

  UpgradeOptions build() {
    return new UpgradeOptions(
        backup,
        migration,
        gracePeriod,
        killMargin,
        stepTimeout,
        progressDeadline,
        onFailure,
        allowDowngrade,
        acknowledgeBreakingChanges,
        maintenanceMode,
        maxUnavailable,
        minHealthy,
        restart,
        pauseBefore,
        configFiles);
  }
}
