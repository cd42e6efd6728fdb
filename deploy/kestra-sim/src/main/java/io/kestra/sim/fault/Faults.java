package io.kestra.sim.fault;

import io.kestra.upgrade.common.KestraVersion;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The fault switches of a test, read from a Java properties file at the moment each fault matters,
 * so that a test can turn a fault on or off while the server runs. Each key ({@link Fault#key()})
 * holds comma-separated {@link FaultSelector}s. No file, or no file named, means no fault.
 */
public final class Faults {

  private static final Logger LOG = Logger.getLogger(Faults.class.getName());

  private final Optional<Path> file;

  /** Faults read from {@code file}, when one is named. */
  public Faults(Optional<Path> file) {
    this.file = file;
  }

  /** No fault ever. */
  public static Faults none() {
    return new Faults(Optional.empty());
  }

  /** Whether {@code fault} applies now to a server of that kind and version. */
  public boolean isOn(Fault fault, String kind, KestraVersion version) {
    Optional<String> selectors = read().map(p -> p.getProperty(fault.key()));
    if (selectors.isEmpty() || selectors.get().isBlank()) {
      return false;
    }
    for (String selector : selectors.get().split(",")) {
      if (selector.isBlank()) {
        continue;
      }
      try {
        if (FaultSelector.parse(selector).matches(kind, version)) {
          return true;
        }
      } catch (IllegalArgumentException e) {
        // a typo in a test's fault file must be visible, but must not crash the server
        LOG.log(
            Level.WARNING, "Ignoring invalid selector in " + file.get() + ": " + e.getMessage());
      }
    }
    return false;
  }

  private Optional<Properties> read() {
    if (file.isEmpty() || !Files.isRegularFile(file.get())) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file.get())) {
      p.load(r);
      return Optional.of(p);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Cannot read fault file " + file.get() + ", assuming no fault", e);
      return Optional.empty();
    }
  }
}
