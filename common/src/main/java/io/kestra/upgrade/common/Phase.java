package io.kestra.upgrade.common;

/**
 * The phases of an upgrade, in the order of the FULL_STOP plan (the upgrade guide's "minimize
 * downtime" order).
 */
public enum Phase {
  /** Every agent alive and ready, versions agree, the target is an upgrade. Checked, not sent. */
  PREFLIGHT,
  /** All agents make the target version ready while everything still runs. */
  PREPARE,
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
  /** Every agent reports the target version and ready. */
  VERIFY
}
