package io.kestra.upgrade.sandbox.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The PostgreSQL server the sandbox uses: its own embedded one, or the one named by {@code
 * UPGRADE_DB_URL} (with {@code UPGRADE_DB_USER}, {@code UPGRADE_DB_PASSWORD}). Two databases live
 * on it: Kestra's ({@value #KESTRA}) and the coordinator's ({@value #COORDINATOR}).
 *
 * @param host host
 * @param port port
 * @param user user
 * @param password password
 * @param external whether the server is not the sandbox's own
 */
public record Database(String host, int port, String user, String password, boolean external) {

  public static final String KESTRA = "kestra";
  public static final String COORDINATOR = "kestra_upgrade";

  /** The sandbox's own server, on {@link Ports#POSTGRES}. */
  public static Database embedded() {
    return new Database("localhost", Ports.POSTGRES, "postgres", "postgres", false);
  }

  /** From the environment, or the sandbox's own server. */
  public static Database fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static Database fromEnvironment(Map<String, String> env) {
    String url = env.get("UPGRADE_DB_URL");
    if (url == null || url.isBlank()) {
      return embedded();
    }
    return external(url, env.get("UPGRADE_DB_USER"), env.get("UPGRADE_DB_PASSWORD"));
  }

  /**
   * An external server, from a JDBC URL read by the driver's own parser. The user and password are
   * those given, else those of the URL's parameters, else {@code postgres}.
   *
   * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL of one server
   */
  static Database external(String url, String user, String password) {
    Properties p = Driver.parseURL(url, new Properties());
    if (p == null) {
      throw new IllegalArgumentException(
          "UPGRADE_DB_URL is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): "
              + url);
    }
    String host = p.getProperty("PGHOST");
    String port = p.getProperty("PGPORT");
    if (host.contains(",")) {
      throw new IllegalArgumentException(
          "UPGRADE_DB_URL names several servers; the sandbox needs one: " + url);
    }
    return new Database(
        host,
        Integer.parseInt(port),
        firstOf(user, p.getProperty("user"), "postgres"),
        firstOf(password, p.getProperty("password"), "postgres"),
        true);
  }

  private static String firstOf(String given, String inUrl, String fallback) {
    if (given != null && !given.isBlank()) {
      return given;
    }
    return inUrl != null && !inUrl.isBlank() ? inUrl : fallback;
  }

  public String url(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** Whether the server answers. */
  public boolean isUp() {
    try (Connection c = DriverManager.getConnection(url("postgres"), user, password)) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Creates the databases that are missing (on an external server the user needs CREATEDB). */
  public void createDatabases() throws SQLException {
    try (Connection c = DriverManager.getConnection(url("postgres"), user, password);
        Statement s = c.createStatement()) {
      for (String name : new String[] {KESTRA, COORDINATOR}) {
        try (ResultSet rs =
            s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
          if (!rs.next()) {
            s.execute("CREATE DATABASE " + name);
          }
        }
      }
    }
  }

  /**
   * Creates the databases that are missing, for a part that is starting.
   *
   * @throws StartFailedException when they cannot be created
   */
  void ensureDatabases() {
    try {
      createDatabases();
    } catch (SQLException e) {
      throw new StartFailedException(
          "cannot create the databases on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Drops both databases (a fresh demo on an external server). */
  public void dropDatabases() throws SQLException {
    try (Connection c = DriverManager.getConnection(url("postgres"), user, password);
        Statement s = c.createStatement()) {
      for (String name : new String[] {KESTRA, COORDINATOR}) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }

  /** Whether Kestra's database holds a schema already (Flyway's history table). */
  public boolean kestraSchemaExists() throws SQLException {
    try (Connection c = DriverManager.getConnection(url(KESTRA), user, password);
        ResultSet rs = c.getMetaData().getTables(null, "public", "flyway_schema_history", null)) {
      return rs.next();
    }
  }
}
