package io.kestra.sim.cli;

import picocli.CommandLine;

/** {@code -V/--version}: the version alone on one line, as Kestra prints it. */
final class VersionProvider implements CommandLine.IVersionProvider {

  private final SimContext context;

  VersionProvider(SimContext context) {
    this.context = context;
  }

  @Override
  public String[] getVersion() {
    return new String[] {context.version().toString()};
  }
}
