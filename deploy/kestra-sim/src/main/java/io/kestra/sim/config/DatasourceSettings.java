package io.kestra.sim.config;

/**
 * The PostgreSQL database shared by every server of a fleet ({@code datasources.postgres.*}) and
 * whether the server migrates it at start ({@code flyway.datasources.postgres.enabled}).
 *
 * @param url JDBC URL
 * @param username user name
 * @param password password
 * @param migrateAtStart whether Flyway migrates at start (true) or only validates (false)
 */
public record DatasourceSettings(
    String url, String username, String password, boolean migrateAtStart) {

  static DatasourceSettings from(SimConfig c) {
    return new DatasourceSettings(
        c.required("datasources.postgres.url"),
        c.get("datasources.postgres.username", ""),
        c.get("datasources.postgres.password", ""),
        c.bool("flyway.datasources.postgres.enabled", true));
  }

  @Override
  public String toString() {
    // keeps the password out of logs
    return "DatasourceSettings[url=" + url + ", username=" + username + "]";
  }
}
