package io.kestra.upgrade.coordinator.db;

import java.sql.SQLException;

/**
 * A database failure that trying again will not fix (a constraint, bad data, a bug); a database
 * that is out is a {@link io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException}.
 */
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
