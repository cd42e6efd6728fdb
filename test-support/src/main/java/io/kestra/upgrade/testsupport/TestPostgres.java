package io.kestra.upgrade.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.Driver;

/**
 * A real PostgreSQL for integration tests: embedded PostgreSQL binaries started once per JVM, or
 * the external server named by {@code UPGRADE_DB_URL} (with {@code UPGRADE_DB_USER} and {@code
 * UPGRADE_DB_PASSWORD}). Each caller gets a fresh database of its own, so tests do not see each
 * other's rows.
 */
public final class TestPostgres {

  /** JDBC URL of an external server to use instead of the embedded one. */
  public static final String ENV_URL = "UPGRADE_DB_URL";

  public static final String ENV_USER = "UPGRADE_DB_USER";
  public static final String ENV_PASSWORD = "UPGRADE_DB_PASSWORD";

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static Database server;
  private static EmbeddedPostgres embedded;

  private TestPostgres() {}

  /**
   * Where to connect.
   *
   * @param jdbcUrl JDBC URL of the database
   * @param user user name
   * @param password password
   * @param host host of the server
   * @param port port of the server
   * @param name database name
   */
  public record Database(
      String jdbcUrl, String user, String password, String host, int port, String name) {}

  /** The server's maintenance database (started at the first call). */
  public static synchronized Database server() {
    if (server == null) {
      String url = System.getenv(ENV_URL);
      if (url != null && !url.isBlank()) {
        server = parse(url, env(ENV_USER, "postgres"), env(ENV_PASSWORD, "postgres"));
      } else {
        server = startEmbedded();
      }
    }
    return server;
  }

  /**
   * A new empty database on the server. On an external server where the user may not create
   * databases, the configured database itself.
   */
  public static Database newDatabase(String purpose) {
    Database base = server();
    String name =
        (purpose.replaceAll("[^a-z0-9_]", "_")
                + "_"
                + ProcessHandle.current().pid()
                + "_"
                + COUNTER.incrementAndGet())
            .toLowerCase();
    try (Connection c = DriverManager.getConnection(base.jdbcUrl(), base.user(), base.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      if (embedded != null) {
        throw new IllegalStateException("cannot create test database " + name, e);
      }
      return base;
    }
    String url = "jdbc:postgresql://" + base.host() + ":" + base.port() + "/" + name;
    return new Database(url, base.user(), base.password(), base.host(), base.port(), name);
  }

  private static Database startEmbedded() {
    try {
      embedded = EmbeddedPostgres.builder().start();
      Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stop, "test-postgres-stop"));
      int port = embedded.getPort();
      return new Database(
          embedded.getJdbcUrl("postgres", "postgres"),
          "postgres",
          "postgres",
          "localhost",
          port,
          "postgres");
    } catch (IOException e) {
      throw new IllegalStateException("cannot start embedded PostgreSQL", e);
    }
  }

  private static synchronized void stop() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        System.err.println("embedded PostgreSQL did not close cleanly: " + e);
      }
      embedded = null;
    }
  }

  /**
   * Where {@code url} points, as the PostgreSQL driver itself reads it (default port, IPv6 hosts,
   * parameters); the database is {@code postgres} when the URL names none.
   *
   * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL of one server
   */
  static Database parse(String url, String user, String password) {
    Properties p = Driver.parseURL(url, new Properties());
    if (p == null) {
      throw new IllegalArgumentException(
          ENV_URL + " is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + url);
    }
    String host = p.getProperty("PGHOST");
    if (host.contains(",")) {
      throw new IllegalArgumentException(
          ENV_URL + " names several servers; the tests need one: " + url);
    }
    int port = Integer.parseInt(p.getProperty("PGPORT"));
    String name = p.getProperty("PGDBNAME", "postgres");
    return new Database(url, user, password, host, port, name.isEmpty() ? "postgres" : name);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
