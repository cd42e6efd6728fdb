package io.kestra.sim.fault;

/** The fault switches a test can turn on in the fault file, by their property key. */
public enum Fault {
  /** Readiness stays DOWN. */
  READINESS_NEVER_UP("readiness.never-up"),
  /** Schema migration (sys database migrate, or at start) fails. Matched with kind migrate. */
  MIGRATION_FAIL("migration.fail"),
  /** The shutdown hook blocks forever: only SIGKILL ends the process. */
  SHUTDOWN_HANG("shutdown.hang"),
  /** The server fails during start-up, before readiness. */
  STARTUP_CRASH("startup.crash");

  private final String key;

  Fault(String key) {
    this.key = key;
  }

  /** The key in the fault file. */
  public String key() {
    return key;
  }
}
