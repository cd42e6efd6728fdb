package io.kestra.upgrade.common;

/**
 * Why a command or a step did not succeed. Each reason carries a human description, and whether
 * trying the same thing again may help ({@link #retryable()}), so that the coordinator and an
 * operator know what comes next.
 */
public enum FailureReason {
  COMMAND_EXPIRED("the command reached the agent after its expiry time", false),
  INVALID_SIGNATURE("the command's signature is missing or does not match the shared key", false),
  INVALID_COMMAND("the command lacks a required parameter or carries an invalid one", false),
  UNSUPPORTED_COMMAND("the agent's driver does not support this command", false),
  LAUNCHER_MISSING("the target version's launcher is missing or not executable", false),
  START_FAILED("the component process exited while starting", true),
  READINESS_TIMEOUT("the component did not report ready before the deadline", true),
  STOP_FAILED("the component could not be stopped", true),
  MIGRATION_FAILED("the database migration failed", false),
  BACKUP_FAILED("the database backup failed", true),
  BACKUP_NOT_FOUND("the backup to restore does not exist", false),
  CHECKSUM_MISMATCH(
      "the backup's checksum does not match the one recorded when it was taken", false),
  RESTORE_FAILED("the database restore failed", true),
  VERSION_MISMATCH("the component does not run the expected version", false),
  NOT_READY("the component is not ready", true),
  AGENT_INTERRUPTED(
      "the agent restarted while running the command, and its outcome cannot be observed", false),
  AGENT_LOST("the agent stopped sending heartbeats", true),
  STEP_TIMED_OUT("the step did not finish before its deadline", true),
  NO_PROGRESS("the agent did not answer before the progress deadline", true),
  DRIVER_ERROR("the component driver failed unexpectedly", true),
  ROLLBACK_REQUESTED("an operator asked for a rollback", false),
  AGENT_ERROR(
      "the agent itself failed (its journal could not be written, for example), not the component",
      true),
  COMMAND_UNDELIVERABLE(
      "the broker refused the command for good (too large, for example): it never reached the agent",
      false),
  ABORTED("an operator aborted the upgrade", false),
  ENGINE_UNAVAILABLE("the container engine (Docker) does not answer", true),
  CONTAINER_MISSING("the server's container cannot be found", false),
  CONTAINER_CHANGED(
      "the server's container was replaced or changed by someone else (image or id differs)",
      false),
  MAINTENANCE_FAILED(
      "Kestra's instance maintenance API refused the change (credentials, not Enterprise) or did"
          + " not confirm it in time",
      true);

  private final String description;
  private final boolean retryable;

  FailureReason(String description, boolean retryable) {
    this.description = description;
    this.retryable = retryable;
  }

  /** A sentence for humans: logs, the REST API, the sandbox summary. */
  public String description() {
    return description;
  }

  /** Whether the same command may succeed if tried again (a transient condition). */
  public boolean retryable() {
    return retryable;
  }
}
