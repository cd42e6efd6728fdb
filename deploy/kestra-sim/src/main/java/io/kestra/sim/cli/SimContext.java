package io.kestra.sim.cli;

import io.kestra.sim.version.SimVersion;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What every command of one process shares: the version the launcher named, when the process
 * started, and the environment (read here once, never through scattered {@code System.getenv}).
 *
 * @param version the Kestra version this process stands in for
 * @param startedAt when the process entered its main method (readiness waits for the startup delay
 *     from here)
 * @param environment the process environment
 */
public record SimContext(SimVersion version, Instant startedAt, Map<String, String> environment) {

  /** Kestra's launcher exports the plugins folder here ({@code -p} defaults to it). */
  static final String PLUGINS_PATH = "KESTRA_PLUGINS_PATH";

  /** Micronaut's additional configuration files (the launcher's {@code KESTRA_CONFIGURATION}). */
  static final String MICRONAUT_CONFIG_FILES = "MICRONAUT_CONFIG_FILES";

  /** The simulator's fault file when {@code kestra.sim.faults} is not set. */
  static final String FAULTS = "KESTRA_SIM_FAULTS";

  public SimContext {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(startedAt, "startedAt");
    environment = Map.copyOf(environment);
  }

  /** An environment variable, or null. */
  String env(String name) {
    return environment.get(name);
  }
}
