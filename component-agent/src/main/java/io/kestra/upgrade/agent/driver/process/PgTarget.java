package io.kestra.upgrade.agent.driver.process;

import java.util.Properties;
import java.util.regex.Pattern;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Host, port and database of a PostgreSQL JDBC URL, as the PostgreSQL command-line tools want them.
 * The URL is read by the PostgreSQL driver's own parser ({@link Driver#parseURL}), so that the
 * agent understands a URL exactly as Kestra's server does; what the tools then receive is checked
 * on top of it.
 *
 * @param host host name or address
 * @param port TCP port
 * @param database database name
 * @param schema the schema Kestra's tables are in: the URL's {@code currentSchema}, else {@code
 *     public}
 */
record PgTarget(String host, int port, String database, String schema) {

  private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /**
   * A database name the tools take as a name and nothing else: {@code --dbname=} would read a value
   * with {@code =} or a {@code postgresql://} prefix as a whole connection string.
   */
  private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_.-]+");

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+");

  /**
   * Parses {@code jdbc:postgresql://host[:port]/database[?params]}; the parameters are left to the
   * server's own configuration.
   *
   * @throws IllegalArgumentException when the driver refuses the URL, or it names several hosts or
   *     a database or host the tools could not be given safely
   */
  static PgTarget parse(String jdbcUrl) {
    Properties parsed = jdbcUrl == null ? null : Driver.parseURL(jdbcUrl, new Properties());
    if (parsed == null) {
      throw invalid(jdbcUrl, "the PostgreSQL driver does not accept it");
    }
    String hosts = PGProperty.PG_HOST.getOrDefault(parsed);
    String ports = PGProperty.PG_PORT.getOrDefault(parsed);
    String database = PGProperty.PG_DBNAME.getOrDefault(parsed);
    if (hosts == null || hosts.contains(",") || ports == null || ports.contains(",")) {
      throw invalid(jdbcUrl, "the backup tools take exactly one host");
    }
    String host = hosts.startsWith("[") && hosts.endsWith("]") ? unbracket(hosts) : hosts;
    if (!HOST.matcher(host).matches()) {
      throw invalid(jdbcUrl, "the host '" + host + "' is not a plain name or address");
    }
    int port;
    try {
      port = Integer.parseInt(ports);
    } catch (NumberFormatException e) {
      throw invalid(jdbcUrl, "the port '" + ports + "' is not a number");
    }
    if (port < 1 || port > 65_535) {
      throw invalid(jdbcUrl, "it names no valid port");
    }
    if (database == null || !DATABASE.matcher(database).matches()) {
      throw invalid(jdbcUrl, "the database name must be letters, digits, '_', '.' or '-'");
    }
    String schema = PGProperty.CURRENT_SCHEMA.getOrDefault(parsed);
    if (schema == null || schema.isBlank()) {
      schema = "public";
    }
    if (!SCHEMA.matcher(schema).matches()) {
      throw invalid(jdbcUrl, "currentSchema must be one plain schema name");
    }
    return new PgTarget(host, port, database, schema);
  }

  private static String unbracket(String host) {
    return host.substring(1, host.length() - 1);
  }

  private static IllegalArgumentException invalid(String jdbcUrl, String why) {
    return new IllegalArgumentException(
        "database url '"
            + jdbcUrl
            + "' must read jdbc:postgresql://host[:port]/database (one host): "
            + why);
  }
}
