package io.kestra.upgrade.coordinator.leader;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens the dedicated connection that holds the leader's advisory lock: not one of the pool's, so
 * that the lock lives exactly as long as this one session, and set up so that the session ends soon
 * after its holder stops answering, which frees the lock:
 *
 * <ul>
 *   <li>{@code idle_session_timeout}: the server ends the session once it has been silent for
 *       {@code sessionTimeout} (the holder renews every second; a frozen holder does not);
 *   <li>TCP keepalives on both ends: a peer gone without a word is noticed within seconds;
 *   <li>pgjdbc's {@code socketTimeout} (twice {@code sessionTimeout}, as the epoch bump may wait
 *       that long for an old leader's transaction): a holder whose server does not answer gives up
 *       and steps down instead of hanging;
 *   <li>{@code statement_timeout} and {@code idle_in_transaction_session_timeout}: nothing on this
 *       session waits longer than {@code sessionTimeout}.
 * </ul>
 */
public final class LockSession {

  private LockSession() {}

  /**
   * A new lock session.
   *
   * @param applicationName what {@code pg_stat_activity} shows for it
   */
  public static Connection open(
      String jdbcUrl, String user, String password, String applicationName, Duration sessionTimeout)
      throws SQLException {
    long seconds = Math.max(1, sessionTimeout.toSeconds());
    long millis = Math.max(1_000, sessionTimeout.toMillis());
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("ApplicationName", applicationName);
    p.setProperty("connectTimeout", Long.toString(seconds));
    p.setProperty("loginTimeout", Long.toString(seconds));
    p.setProperty("socketTimeout", Long.toString(2 * seconds));
    p.setProperty("tcpKeepAlive", "true");
    Connection c = DriverManager.getConnection(jdbcUrl, p);
    try (Statement s = c.createStatement()) {
      s.execute("SET idle_session_timeout = " + millis);
      s.execute("SET idle_in_transaction_session_timeout = " + millis);
      s.execute("SET statement_timeout = " + millis);
      // the server's side of the keepalives (ignored on a Unix socket)
      s.execute("SET tcp_keepalives_idle = " + seconds);
      s.execute("SET tcp_keepalives_interval = 1");
      s.execute("SET tcp_keepalives_count = 3");
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    return c;
  }
}
