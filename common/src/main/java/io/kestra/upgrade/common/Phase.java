package io.kestra.upgrade.common;

/**
 * The phases of an upgrade, in the order of the FULL_STOP plan (the upgrade guide's "minimize
 * downtime" order, MAINTENANCE_* only with {@code maintenanceMode}; a ROLLING plan has PREPARE,
 * BACKUP, MIGRATE, ROLL, VERIFY and FINALIZE), then those of its rollback, in the order of the
 * guide's rollback procedure.
 */
public enum Phase {
  /** Every agent alive and ready, versions agree, the target is an upgrade. Checked, not sent. */
  PREFLIGHT,
  /** All agents make the target version ready while everything still runs. */
  PREPARE,
  /**
   * With {@code maintenanceMode}: one agent switches Kestra Enterprise into maintenance mode (new
   * executions queue, running tasks finish) before anything stops.
   */
  MAINTENANCE_ENTER,
  /** Executors and scheduler stop: no new work is created or dispatched. */
  QUIESCE,
  /** Workers (and standalone servers) stop gracefully, finishing their task runs. */
  DRAIN,
  /** Indexers stop. */
  STOP_INDEXERS,
  /** One agent dumps Kestra's database, now quiet. */
  BACKUP,
  /** One agent runs {@code kestra sys database migrate} with the target version. */
  MIGRATE,
  /** Each webserver restarts on the target version: the API is down only for its restart. */
  WEBSERVER,
  /** Indexers, workers, scheduler, then executors start on the target version. */
  START,
  /**
   * ROLLING: kind by kind (indexers, workers and standalone servers, schedulers, executors,
   * webservers), a few instances at a time, each server restarts on the target and stays ready for
   * {@code minHealthy} before the next batch; the others keep serving.
   */
  ROLL,
  /** Every agent reports the target version and ready. */
  VERIFY,
  /** With {@code maintenanceMode}: maintenance mode is exited, the queued executions start. */
  MAINTENANCE_EXIT,
  /**
   * Every agent drops what it kept for a rollback; one records the new version in the deployment's
   * file (FINALIZE). The upgrade succeeded already: what cannot be tidied is reported, not failed.
   */
  FINALIZE,
  /**
   * Rollback that restores: the first backup is checked (there, its checksum matching) before
   * anything is stopped for it.
   */
  ROLLBACK_CHECK,
  /**
   * Rollback: the servers that may run the target version, or (before a restore) every server still
   * running, stop gracefully.
   */
  ROLLBACK_STOP,
  /**
   * Rollback: a second backup, of the database as the failed upgrade left it (the guide's rollback
   * step 1): it keeps what was written since the first backup.
   */
  ROLLBACK_BACKUP,
  /** Rollback: the first backup is restored into an emptied schema. */
  RESTORE,
  /** Rollback: every stopped server starts again on the previous version, in the start order. */
  ROLLBACK_START,
  /**
   * Rollback of a ROLLING upgrade: each server it restarted restarts on the previous version, one
   * at a time, the last restarted first; the others keep serving.
   */
  ROLLBACK_ROLL,
  /** Rollback: every agent reports the previous version and ready. */
  ROLLBACK_VERIFY,
  /**
   * Rollback of an upgrade whose FINALIZE ran: the previous version goes back into the deployment's
   * file (FINALIZE).
   */
  ROLLBACK_FINALIZE,
  /**
   * Rollback of an upgrade that entered maintenance mode: exited last, and sent even when the
   * rollback failed before it (every way out of an upgrade exits maintenance mode).
   */
  ROLLBACK_MAINTENANCE_EXIT;

  /** Whether the phase belongs to a rollback rather than to the upgrade itself. */
  public boolean isRollback() {
    return compareTo(ROLLBACK_CHECK) >= 0;
  }
}
