package io.kestra.upgrade.agent.driver.process;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host, port and database of a PostgreSQL JDBC URL, as the PostgreSQL command-line tools want them.
 *
 * @param host host name or address
 * @param port TCP port
 * @param database database name
 */
record PgTarget(String host, int port, String database) {

  private static final Pattern URL =
      Pattern.compile(
          "jdbc:postgresql://([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]{1,5}))?/([A-Za-z0-9_.-]+)(?:\\?.*)?");

  /**
   * Parses {@code jdbc:postgresql://host[:port]/database[?params]}; the parameters are left to the
   * server's own configuration.
   *
   * @throws IllegalArgumentException for anything else (several hosts, no database)
   */
  static PgTarget parse(String jdbcUrl) {
    Matcher m = jdbcUrl == null ? null : URL.matcher(jdbcUrl);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "database url '"
              + jdbcUrl
              + "' must read jdbc:postgresql://host[:port]/database (one host)");
    }
    String host = m.group(1);
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("database url '" + jdbcUrl + "' names no valid port");
    }
    return new PgTarget(host, port, m.group(3));
  }
}
