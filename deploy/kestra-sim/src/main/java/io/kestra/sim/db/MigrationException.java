package io.kestra.sim.db;

/** The schema could not be migrated, or is behind the version's level: the server cannot start. */
public final class MigrationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with Flyway's message. */
  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
