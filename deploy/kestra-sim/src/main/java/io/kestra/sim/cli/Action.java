package io.kestra.sim.cli;

/** What a command line asks for. */
public enum Action {
  /** {@code --version}: print the version. */
  VERSION,
  /** {@code --help}, or nothing: print the usage. */
  HELP,
  /** {@code server <kind>}: run a server until SIGTERM. */
  SERVER,
  /** {@code sys database migrate}: migrate the schema and exit. */
  MIGRATE
}
