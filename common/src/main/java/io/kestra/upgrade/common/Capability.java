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
  MAINTENANCE,
  /**
   * Can install a new configuration file for its server at a START or RESTART ({@link
   * Command#PARAM_CONFIG_FILE}) and put back the one it replaced ({@link
   * Command#PARAM_RESTORE_CONFIG}).
   */
  CONFIG_FILE
}
