package io.kestra.sim.db;

import io.kestra.sim.config.DatasourceSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small JDBC connection pool: at most {@code size} connections, opened on demand and kept while
 * healthy. A connection that failed is checked and dropped when broken, so that a database restart
 * costs one failed operation per connection, not a dead server.
 */
public final class ConnectionPool implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ConnectionPool.class.getName());

  private final DatasourceSettings datasource;
  private final String applicationName;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  /**
   * Creates the pool; no connection is opened yet.
   *
   * @param applicationName shown in {@code pg_stat_activity}, to tell the servers apart
   */
  public ConnectionPool(DatasourceSettings datasource, String applicationName, int size) {
    this.datasource = datasource;
    this.applicationName = applicationName;
    this.permits = new Semaphore(size, true);
  }

  /** Runs {@code work} with a connection in auto-commit mode. */
  public <T> T withConnection(SqlWork<T> work) throws SQLException {
    acquire();
    Connection c = null;
    boolean reusable = false;
    try {
      c = idle.pollFirst();
      if (c == null) {
        c = open();
      }
      T result = work.apply(c);
      reusable = true;
      return result;
    } catch (SQLException | RuntimeException e) {
      reusable = c != null && isUsable(c);
      throw e;
    } finally {
      if (c != null) {
        if (reusable && !closed) {
          idle.offerFirst(c);
        } else {
          close(c);
        }
      }
      permits.release();
    }
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  public <T> T inTransaction(SqlWork<T> work) throws SQLException {
    return withConnection(
        c -> {
          c.setAutoCommit(false);
          try {
            T result = work.apply(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException e) {
            rollback(c, e);
            throw e;
          } finally {
            if (!c.isClosed()) {
              c.setAutoCommit(true);
            }
          }
        });
  }

  /** Opens and checks one connection, to fail fast at start when the database is unreachable. */
  public void check() throws SQLException {
    withConnection(c -> c.isValid(5));
  }

  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      close(c);
    }
  }

  private void acquire() throws SQLException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("Interrupted while waiting for a database connection", e);
    }
  }

  private Connection open() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", datasource.username());
    props.setProperty("password", datasource.password());
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("connectTimeout", "5");
    // a query of the simulator never takes long: a minute means the database is gone
    props.setProperty("socketTimeout", "60");
    props.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(datasource.url(), props);
  }

  private static boolean isUsable(Connection c) {
    try {
      return !c.isClosed() && c.isValid(1);
    } catch (SQLException e) {
      LOG.log(Level.FINE, "Dropping a broken database connection", e);
      return false;
    }
  }

  private static void rollback(Connection c, Exception cause) {
    try {
      if (!c.isClosed()) {
        c.rollback();
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      LOG.log(Level.FINE, "Closing a database connection failed", e);
    }
  }
}
