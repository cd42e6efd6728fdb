package io.kestra.upgrade.coordinator.upgrade.plan;

/** What an upgrade does when a step fails, times out, or loses its agent. */
public enum OnFailure {
  /**
   * Roll back to the previous version (restoring the backup if the schema may have been migrated);
   * the default.
   */
  ROLLBACK,
  /**
   * Wait in PAUSED, the failure attached, for an operator: {@code resume} tries the failed step
   * again, {@code rollback} rolls back, {@code abort} ends it.
   */
  PAUSE,
  /** End the upgrade FAILED and leave the servers as they are, for an operator to take over. */
  FAIL
}
