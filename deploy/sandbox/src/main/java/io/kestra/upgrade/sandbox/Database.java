package io.kestra.upgrade.sandbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

  /** From the environment, or the sandbox's own server. */
  public static Database fromEnvironment() {
    String url = System.getenv("UPGRADE_DB_URL");
    if (url == null || url.isBlank()) {
      return new Database("localhost", Ports.POSTGRES, "postgres", "postgres", false);
    }
    String rest = url.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
    String host = rest.contains(":") ? rest.substring(0, rest.indexOf(':')) : rest;
    int port = rest.contains(":") ? Integer.parseInt(rest.substring(rest.indexOf(':') + 1)) : 5432;
    String user = System.getenv().getOrDefault("UPGRADE_DB_USER", "postgres");
    String password = System.getenv().getOrDefault("UPGRADE_DB_PASSWORD", "postgres");
    return new Database(host, port, user, password, true);
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

  /** Drops both databases (a fresh demo on an external server). */
  public void dropDatabases() throws SQLException {
    try (Connection c = DriverManager.getConnection(url("postgres"), user, password);
        Statement s = c.createStatement()) {
      for (String name : new String[] {KESTRA, COORDINATOR}) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }
}
