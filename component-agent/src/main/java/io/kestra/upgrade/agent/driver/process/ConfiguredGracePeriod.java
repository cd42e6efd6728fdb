package io.kestra.upgrade.agent.driver.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grace period a server launched now, without a START's own, would apply: its {@code -c} file's
 * {@code kestra.server.terminationGracePeriod}, else the one in its configured {@code JAVA_OPTS},
 * else Kestra's 5 minutes. Read from disk only by {@link #refresh()} (at boot, then from the probe
 * thread, and only when the file's modification time changed); {@link #current()} never touches the
 * disk.
 */
final class ConfiguredGracePeriod {

  private static final Logger LOG = LoggerFactory.getLogger(ConfiguredGracePeriod.class);

  private final Optional<Path> configFile;
  private final String javaOpts;
  private volatile Optional<Duration> current = Optional.empty();
  private FileTime seen;
  private boolean read;

  ConfiguredGracePeriod(Optional<Path> configFile, String javaOpts) {
    this.configFile = configFile;
    this.javaOpts = javaOpts;
  }

  /** The last value read; empty before the first read or when the value is unreadable. */
  Optional<Duration> current() {
    return current;
  }

  /** Reads the file again if it changed since the last read. */
  synchronized void refresh() {
    FileTime modified = modified();
    if (read && Objects.equals(modified, seen)) {
      return;
    }
    current = readGracePeriod();
    seen = modified;
    read = true;
  }

  private Optional<Duration> readGracePeriod() {
    try {
      Map<String, String> file =
          configFile.isPresent() ? KestraConfigFile.read(configFile.get()) : Map.of();
      return Optional.of(ServerConfigView.of(file, javaOpts).gracePeriod());
    } catch (IOException | IllegalArgumentException e) {
      // unknown rather than a guess: the heartbeat then says the agent cannot tell
      LOG.warn("cannot read the server's grace period: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** The file's modification time; null when there is no file (a missing one is read as empty). */
  private FileTime modified() {
    if (configFile.isEmpty()) {
      return null;
    }
    try {
      return Files.getLastModifiedTime(configFile.get());
    } catch (IOException e) {
      return null;
    }
  }
}
