package io.kestra.upgrade.coordinator.upgrade.plan;

/** What an upgrade does when a step fails. */
public enum OnFailure {
  /** Roll back to the previous version (restoring the backup if the schema was migrated). */
  ROLLBACK,
  /** Stop where it stands and wait for an operator. */
  PAUSE
}
