package io.kestra.upgrade.coordinator.upgrade;

/** The cluster already has an upgrade that is not over. */
public class ActiveUpgradeException extends RuntimeException {

  private final String activeUpgradeId;

  public ActiveUpgradeException(String cluster, String activeUpgradeId) {
    super(
        "cluster '"
            + cluster
            + "' already has an active upgrade"
            + (activeUpgradeId == null ? "" : " (" + activeUpgradeId + ")"));
    this.activeUpgradeId = activeUpgradeId;
  }

  /** The active upgrade's id, when known. */
  public String activeUpgradeId() {
    return activeUpgradeId;
  }
}
