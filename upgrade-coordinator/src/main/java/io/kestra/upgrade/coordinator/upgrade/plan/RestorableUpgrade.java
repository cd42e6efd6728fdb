package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.KestraVersion;
import java.util.Objects;

/**
 * A cluster's last upgrade, SUCCEEDED with a backup: its backup was taken on {@code fromVersion},
 * so rolling it back with a restore is how the cluster goes back to that version (Kestra migrates
 * its schema only forward).
 *
 * @param upgradeId the upgrade
 * @param fromVersion the version its backup was taken on
 * @param toVersion the version it upgraded to
 * @param backupId its backup
 */
public record RestorableUpgrade(
    String upgradeId, KestraVersion fromVersion, KestraVersion toVersion, String backupId) {

  public RestorableUpgrade {
    Objects.requireNonNull(upgradeId, "upgradeId");
    Objects.requireNonNull(fromVersion, "fromVersion");
    Objects.requireNonNull(toVersion, "toVersion");
    Objects.requireNonNull(backupId, "backupId");
  }
}
