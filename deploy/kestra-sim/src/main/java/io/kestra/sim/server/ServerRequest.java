package io.kestra.sim.server;

import io.kestra.upgrade.common.ComponentKind;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@code kestra server <kind>} command line asks for.
 *
 * @param command the command's name: {@code executor}, ..., {@code standalone} or {@code local}
 * @param kind the server kind ({@code local} runs a standalone)
 * @param workerThreads worker threads ({@code -t} of a worker, {@code --worker-thread} of a
 *     standalone, 0 meaning no worker; 0 for other kinds)
 * @param workerGroup a worker's {@code --worker-group}: an Enterprise feature that Kestra's open
 *     source worker accepts and ignores
 * @param embeddedIndexer whether a webserver or standalone runs its embedded indexer (not {@code
 *     --no-indexer})
 */
public record ServerRequest(
    String command,
    ComponentKind kind,
    int workerThreads,
    Optional<String> workerGroup,
    boolean embeddedIndexer) {

  public ServerRequest {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(workerGroup, "workerGroup");
    if (workerThreads < 0) {
      throw new IllegalArgumentException("worker threads cannot be negative: " + workerThreads);
    }
  }
}
