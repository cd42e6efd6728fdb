package io.kestra.upgrade.coordinator.db;

import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs work in one database transaction: committed when the work returns, rolled back when it
 * throws. Every state change and the commands it causes go through one such transaction.
 *
 * <p>A failure is thrown as what happens next: {@link DatabaseUnavailableException} when the
 * database is out (no connection within the pool's acquisition time-out, a lost connection, a
 * statement cancelled by its time-out: trying again later may succeed), {@link DataAccessException}
 * otherwise (trying again will not help).
 */
@ApplicationScoped
public class Tx {

  /** Work on a connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  /** What to do once the transaction of this thread commits: nothing of it when it rolls back. */
  private static final ThreadLocal<List<Runnable>> AFTER_COMMIT = new ThreadLocal<>();

  private final DataSource dataSource;

  public Tx(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Runs {@code work} in a transaction.
   *
   * @throws DatabaseUnavailableException when the database is out
   * @throws DataAccessException wrapping any other database failure
   */
  public <T> T run(Work<T> work) {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      // the pool gives no connection only when the server cannot be reached in time (or refuses
      // our credentials, which a retry does not fix either but which no request can cause)
      throw new DatabaseUnavailableException("no database connection: " + e.getMessage(), e);
    }
    List<Runnable> outer = AFTER_COMMIT.get();
    List<Runnable> afterCommit = new ArrayList<>();
    AFTER_COMMIT.set(afterCommit);
    try (c) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        AFTER_COMMIT.set(outer);
        afterCommit.forEach(Runnable::run);
        return result;
      } catch (SQLException | RuntimeException e) {
        rollback(c, e);
        throw e;
      }
    } catch (SQLException e) {
      if (SqlFailures.isTransient(e)) {
        throw new DatabaseUnavailableException("the database is out: " + e.getMessage(), e);
      }
      throw new DataAccessException(e);
    } finally {
      AFTER_COMMIT.set(outer);
    }
  }

  /**
   * Runs {@code action} once the transaction this thread is in commits, never if it rolls back
   * (what only a committed change may count, metrics for one); at once outside a transaction.
   */
  public static void afterCommit(Runnable action) {
    List<Runnable> pending = AFTER_COMMIT.get();
    if (pending == null) {
      action.run();
    } else {
      pending.add(action);
    }
  }

  /** Rolls back after {@code failure}; a connection already lost cannot, which changes nothing. */
  private static void rollback(Connection c, Exception failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }
}
