package io.kestra.sim.cli;

import picocli.CommandLine.Option;

/**
 * The options Kestra's webserver and standalone commands both declare (a picocli mixin): {@code
 * --no-indexer} is honoured (no embedded indexer), {@code --no-tutorials} trivially (the stand-in
 * loads no tutorial flows).
 */
final class WebOptions {

  @Option(
      names = {"--no-tutorials"},
      description = "Flag to disable auto-loading of tutorial flows.")
  private boolean tutorialsDisabled = false;

  @Option(
      names = {"--no-indexer"},
      description = "Flag to disable starting an embedded indexer.")
  private boolean indexerDisabled = false;

  /** Whether the server runs an embedded indexer. */
  boolean embeddedIndexer() {
    return !indexerDisabled;
  }
}
