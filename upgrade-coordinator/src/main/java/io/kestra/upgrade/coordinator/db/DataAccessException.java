package io.kestra.upgrade.coordinator.db;

import java.sql.SQLException;

/** A database failure; transient from the caller's point of view (the consumer loops retry). */
public class DataAccessException extends RuntimeException {

  private static final String UNIQUE_VIOLATION = "23505";

  public DataAccessException(SQLException cause) {
    super(cause.getMessage(), cause);
  }

  /** Whether the failure is a unique-constraint violation. */
  public boolean isUniqueViolation() {
    return getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
  }
}
