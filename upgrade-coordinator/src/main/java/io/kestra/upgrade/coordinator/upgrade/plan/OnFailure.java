package io.kestra.upgrade.coordinator.upgrade.plan;

/**
 * What an upgrade does when a step fails. {@link #PAUSE} is refused at preflight ({@code
 * OPTION_NOT_SUPPORTED}) until an operator can resume a paused upgrade, rather than accepted and
 * not followed.
 */
public enum OnFailure {
  /**
   * Roll back to the previous version (restoring the backup if the schema may have been migrated);
   * the default.
   */
  ROLLBACK,
  /** Stop where it stands and wait for an operator. */
  PAUSE,
  /** End the upgrade FAILED and leave the servers as they are, for an operator to take over. */
  FAIL
}
