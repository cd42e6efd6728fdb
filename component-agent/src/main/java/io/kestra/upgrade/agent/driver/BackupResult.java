package io.kestra.upgrade.agent.driver;

import java.util.Objects;

/**
 * A backup taken.
 *
 * @param backupId the id to restore it by
 * @param sizeBytes size of the dump
 * @param sha256 SHA-256 of the dump, lower-case hex; checked again before a restore
 */
public record BackupResult(String backupId, long sizeBytes, String sha256) {

  public BackupResult {
    Objects.requireNonNull(backupId, "backupId");
    Objects.requireNonNull(sha256, "sha256");
  }
}
