package io.kestra.upgrade.common;

/** What a {@link Command} asks an agent to do with its component. */
public enum CommandType {
  /** Report the component's state and health; changes nothing. */
  PING,
  /**
   * Make the target version ready (binary present, image pulled) without touching the running
   * server.
   */
  PREPARE,
  /** Graceful stop: SIGTERM, wait up to the grace period, then force. */
  STOP,
  /** Start the component on the target version and wait for readiness. */
  START,
  /** STOP then START on the target version at once. */
  RESTART,
  /** Run {@code kestra sys database migrate} with the target version. */
  MIGRATE,
  /** Dump Kestra's database; the ack's result carries the backupId. */
  BACKUP,
  /** Restore the dump named by the {@code backupId} parameter. */
  RESTORE,
  /** Enterprise maintenance mode: enter. */
  MAINTENANCE_ENTER,
  /** Enterprise maintenance mode: exit. */
  MAINTENANCE_EXIT,
  /**
   * The upgrade (or its rollback) is over and every server verified on the version it names: drop
   * what was kept only to roll back (the docker driver's stopped old container) and, with {@link
   * Command#PARAM_RECORD_VERSION}, write that version into the deployment's own file (a Compose
   * file or its {@code .env}) so that the operator's next {@code docker-compose up -d} keeps it.
   * Never fails for what it could not tidy: the ack's message says what is left and why.
   */
  FINALIZE
}
