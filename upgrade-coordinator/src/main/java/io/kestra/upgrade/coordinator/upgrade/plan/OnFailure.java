package io.kestra.upgrade.coordinator.upgrade.plan;

/**
 * What an upgrade does when a step fails. Only {@link #FAIL} is carried out by this coordinator:
 * preflight refuses the others ({@code OPTION_NOT_SUPPORTED}) until automatic rollback and pausing
 * exist, rather than accept a policy it would not follow.
 */
public enum OnFailure {
  /** Roll back to the previous version (restoring the backup if the schema was migrated). */
  ROLLBACK,
  /** Stop where it stands and wait for an operator. */
  PAUSE,
  /** End the upgrade FAILED and leave the servers as they are, for an operator to take over. */
  FAIL
}
