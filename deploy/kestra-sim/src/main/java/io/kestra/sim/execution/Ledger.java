package io.kestra.sim.execution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ids of every execution the fleet created, one per line, in a file outside Kestra's database
 * ({@code kestra.sim.ledger}): what a restore of the database cannot take back, so that the
 * executions it drops can be counted. A simplification of the stand-in, not something Kestra has:
 * every server of the fleet appends to the same file (one short line per write, {@code O_APPEND}),
 * after the execution's insert committed.
 */
public final class Ledger {

  private static final Logger LOG = Logger.getLogger(Ledger.class.getName());

  private final Optional<Path> file;

  /** A ledger in {@code file}, or none. */
  public Ledger(Optional<Path> file) {
    this.file = file;
  }

  /** Records that execution {@code id} was created. */
  void created(String id) {
    if (file.isEmpty()) {
      return;
    }
    try {
      Files.writeString(
          file.get(),
          id + "\n",
          StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the count of dropped executions is a test's measurement: it must not stop the fleet
      LOG.log(Level.WARNING, "Cannot append to the ledger " + file.get(), e);
    }
  }

  /** The ids recorded, in order; empty when there is no ledger. */
  Optional<Set<String>> ids() throws IOException {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    if (!Files.exists(file.get())) {
      return Optional.of(Set.of());
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String line : Files.readAllLines(file.get(), StandardCharsets.US_ASCII)) {
      if (!line.isBlank()) {
        ids.add(line.strip());
      }
    }
    return Optional.of(ids);
  }
}
