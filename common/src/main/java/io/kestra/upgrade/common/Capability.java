package io.kestra.upgrade.common;

/** Optional abilities an agent advertises in its heartbeat. */
public enum Capability {
  /**
   * Can dump and restore Kestra's database ({@link CommandType#BACKUP}, {@link
   * CommandType#RESTORE}).
   */
  BACKUP,
  /** Can run {@code kestra sys database migrate} ({@link CommandType#MIGRATE}). */
  MIGRATE,
  /** Can switch Kestra Enterprise into maintenance mode. */
  MAINTENANCE
}
