package io.kestra.upgrade.coordinator.db;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one database transaction: committed when the work returns, rolled back when it
 * throws. Every state change and the commands it causes go through one such transaction.
 */
@ApplicationScoped
public class Tx {

  /** Work on a connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;

  public Tx(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Runs {@code work} in a transaction.
   *
   * @throws DataAccessException wrapping a database failure
   */
  public <T> T run(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DataAccessException(e);
    }
  }
}
