package io.kestra.upgrade.coordinator.upgrade.plan;

/** How an upgrade replaces the servers. */
public enum Strategy {
  /**
   * Stop everything in the upgrade guide's order, migrate, start everything on the target version.
   */
  FULL_STOP,
  /** Kind by kind, a few instances at a time, for patch releases without schema change. */
  ROLLING
}
