package io.kestra.upgrade.sandbox.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * One part of the sandbox: PostgreSQL, Kafka, the coordinator, the Kestra install, an agent. The
 * {@link Stack} starts them in order and stops them in the reverse order; each part keeps what it
 * knows of itself on disk (a pid file, its files), so that another invocation of the sandbox finds
 * it.
 */
public interface Part {

  /** The part's name in {@code status}, e.g. {@code kafka}. */
  String name();

  /**
   * Starts the part unless it is running already, then waits until it serves (a part that runs is
   * awaited too: it may have been started a moment ago).
   *
   * @param out where to say what is being started
   * @throws StartFailedException when it does not start, or does not serve in time
   */
  void start(PrintStream out) throws IOException, InterruptedException;

  /** Its OS process, for a part that is one (which {@code sandbox kill} can kill). */
  default Optional<ManagedProcess> process() {
    return Optional.empty();
  }

  /** Whether the part is up: its process alive, or, for the install, its files in place. */
  boolean running();

  /** Its line in {@code status}. */
  PartStatus status();

  /** Stops it, and waits until it has stopped. A part that does not run is left as it is. */
  void stop();
}
