package io.kestra.upgrade.coordinator.upgrade.plan;

/** Who migrates Kestra's database schema. */
public enum MigrationMode {
  /** One agent runs {@code kestra sys database migrate} once, while every server is stopped. */
  MANUAL,
  /** The servers migrate at start (Kestra's default); no MIGRATE step. */
  AUTO
}
