package io.kestra.upgrade.coordinator.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells a database that is out (down, paused, overloaded, a connection lost, a statement cancelled
 * by a time-out: it may pass) from a failure that will not pass by trying again (a constraint, bad
 * data, a bug).
 */
public final class SqlFailures {

  /**
   * SQLState classes of failures that may pass: 08 connection exception, 40 transaction rollback
   * (serialization failure, deadlock), 53 insufficient resources, 57 operator intervention (query
   * cancelled by statement_timeout, server shutting down), 58 system error (I/O).
   */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58");

  /** 55P03 lock_not_available: a lock_timeout expired. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private SqlFailures() {}

  /** Whether {@code e}, or an SQL exception it chains, says the database is out for now. */
  public static boolean isTransient(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException
          || t instanceof SQLRecoverableException
          || t instanceof SQLTimeoutException
          || t instanceof java.io.IOException) {
        return true;
      }
      if (t instanceof SQLException sql && isTransientState(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** Whether an SQLState names a failure that may pass. */
  static boolean isTransientState(String state) {
    return state != null
        && state.length() == 5
        && (TRANSIENT_CLASSES.contains(state.substring(0, 2)) || LOCK_NOT_AVAILABLE.equals(state));
  }
}
