package io.kestra.sim.config;

/**
 * The ports every server binds: Kestra starts its embedded web server for every server command.
 *
 * @param api the HTTP port ({@code micronaut.server.port}, 8080; {@code --port} sets it); 0 for a
 *     random port (Micronaut's {@code -1})
 * @param management the management port ({@code endpoints.all.port}, 8081); 0 for a random port
 */
public record PortSettings(int api, int management) {

  /** Micronaut's value for "any free port". */
  private static final int RANDOM = -1;

  static PortSettings from(SimConfig c) {
    int api = port(c, "micronaut.server.port", 8080);
    int management = port(c, "endpoints.all.port", 8081);
    if (api != 0 && api == management) {
      // Micronaut would then serve the management endpoints on the API server; the stand-in
      // keeps them apart and refuses rather than bind one of them elsewhere
      throw new ConfigException(
          "micronaut.server.port and endpoints.all.port are both "
              + api
              + ": kestra-sim needs two distinct ports");
    }
    return new PortSettings(api, management);
  }

  private static int port(SimConfig c, String key, int fallback) {
    int port = c.integer(key, fallback);
    if (port == RANDOM) {
      return 0;
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException("Configuration property '" + key + "' is not a port: " + port);
    }
    return port;
  }
}
