package io.kestra.upgrade.coordinator.upgrade.plan;

/** Who migrates Kestra's database schema. */
public enum MigrationMode {
  /** One agent runs {@code kestra sys database migrate} once, while every server is stopped. */
  MANUAL,
  /** The servers migrate at start (Kestra's default); no MIGRATE step. */
  AUTO,
  /**
   * The upgrade guide's second way: the backup, then {@code kestra sys database migrate} with the
   * target version, while the old version still serves; then the servers are stopped and started on
   * the target. Only where the release catalog says the old version runs on the new schema: a long
   * migration leaves the downtime.
   */
  MANUAL_AHEAD;

  /** Whether one agent runs the migration (MIGRATE), rather than the servers as they start. */
  public boolean isByAgent() {
    return this != AUTO;
  }
}
