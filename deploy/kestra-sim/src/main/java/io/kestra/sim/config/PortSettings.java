package io.kestra.sim.config;

/**
 * The ports a server binds.
 *
 * @param api HTTP API port of a webserver or standalone ({@code micronaut.server.port}, 8080)
 * @param management management port of every server ({@code endpoints.all.port}, 8081)
 */
public record PortSettings(int api, int management) {

  static PortSettings from(SimConfig c) {
    return new PortSettings(
        port(c, "micronaut.server.port", 8080), port(c, "endpoints.all.port", 8081));
  }

  private static int port(SimConfig c, String key, int fallback) {
    int port = c.integer(key, fallback);
    if (port < 0 || port > 65535) {
      throw new ConfigException("Configuration property '" + key + "' is not a port: " + port);
    }
    return port;
  }
}
