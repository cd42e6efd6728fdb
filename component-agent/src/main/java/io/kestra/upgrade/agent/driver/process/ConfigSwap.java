package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.common.FailureReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The server's {@code -c} configuration file, replaced by an upgrade and put back by its rollback.
 * The file replaced is kept beside it as {@code <file>.before-upgrade}, once: a second install (a
 * retried step) keeps the first original. Every change is a rename within the folder, so the server
 * never reads a half-written file.
 */
final class ConfigSwap {

  private final Path file;
  private final Path kept;

  ConfigSwap(Path file) {
    this.file = file;
    this.kept = file.resolveSibling(file.getFileName() + ".before-upgrade");
  }

  /** The file kept to be put back. */
  Path kept() {
    return kept;
  }

  void install(String content) throws DriverException {
    try {
      if (!Files.exists(kept)) {
        if (!Files.exists(file)) {
          throw new DriverException(
              FailureReason.DRIVER_ERROR,
              "no configuration file at " + file + " to replace (the agent's -c file)");
        }
        Files.copy(file, kept, StandardCopyOption.COPY_ATTRIBUTES);
      }
      Path next = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".next");
      Files.writeString(next, content, StandardCharsets.UTF_8);
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.DRIVER_ERROR,
          "cannot install the configuration file " + file + ": " + e,
          e);
    }
  }

  boolean restore() throws DriverException {
    if (!Files.exists(kept)) {
      return false;
    }
    try {
      Files.move(kept, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.DRIVER_ERROR,
          "cannot put back the configuration file " + kept + ": " + e,
          e);
    }
  }

  /** Drops the kept file (the upgrade is over); whether there was one. */
  boolean drop() throws IOException {
    return Files.deleteIfExists(kept);
  }
}
