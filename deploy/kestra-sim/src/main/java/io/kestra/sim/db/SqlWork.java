package io.kestra.sim.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done with a connection.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface SqlWork<T> {

  /** Does the work. */
  T apply(Connection connection) throws SQLException;
}
