package io.kestra.upgrade.agent.driver;

import java.util.Objects;

/**
 * A backup taken.
 *
 * @param backupId the id to restore it by
 * @param sizeBytes size of the dump
 * @param sha256 SHA-256 of the dump, lower-case hex; checked again before a restore
 * @param location where the dump is, as the agent sees it (a path, for the operator to find it)
 */
public record BackupResult(String backupId, long sizeBytes, String sha256, String location) {

  public BackupResult {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(location, "location");
  }
}
