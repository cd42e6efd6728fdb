package io.kestra.sim.version;

import io.kestra.upgrade.common.KestraVersion;

/**
 * A Kestra version the simulator knows, with the schema level it needs and the behaviours that
 * changed between release lines (read from Kestra's sources; see the simulator's README).
 *
 * @param version the Kestra version, flavour included ({@code 0.21.4-no-plugins})
 * @param schemaLevel the highest Flyway migration this version needs (and migrates to)
 */
public record SimVersion(KestraVersion version, int schemaLevel) {

  /**
   * Whether the liveness coordinator re-emits a force-terminated worker's jobs at once: true on
   * 0.21; from 0.22 it first waits for the worker's grace period (Kestra PR #9102).
   */
  public boolean resubmitsForcedWorkersAtOnce() {
    return version.major() == 0 && version.minor() < 22;
  }

  /**
   * Whether the worker is the 2.x {@code worker} module, whose shutdown logs "Waiting for all
   * worker job to terminate" and "... termination grace period. Forcing shutdown." instead of the
   * older worker's lines.
   */
  public boolean hasWorkerModule() {
    return version.major() >= 2;
  }

  /**
   * Whether picocli reports a usage error (message and usage on stderr, exit 2). Before 1.2 Kestra
   * parses its arguments outside picocli's {@code execute}, so a usage error escapes {@code main}
   * as an uncaught exception: a stack trace and exit 1.
   */
  public boolean reportsUsageErrors() {
    return version.major() > 1 || (version.major() == 1 && version.minor() >= 2);
  }

  @Override
  public String toString() {
    return version.toString();
  }
}
