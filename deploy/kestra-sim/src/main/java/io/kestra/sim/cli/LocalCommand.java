package io.kestra.sim.cli;

import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code kestra server local}: a standalone server with the local overrides Kestra forces above
 * every configuration source. Of those the simulator keeps the one an operator sees from outside:
 * the management port is random ({@code endpoints.all.port: ${random.port}}), logged in the "Server
 * Running" line. Kestra's local server also switches to an embedded H2 database and local storage
 * in {@code ./data}; the simulator has only PostgreSQL and no storage, so it runs on the configured
 * {@code datasources.postgres} and creates no {@code ./data}.
 */
@Command(name = "local", description = "start a local server")
final class LocalCommand extends StandAloneCommand {

  LocalCommand(SimContext context) {
    super(context);
  }

  @Override
  protected String commandName() {
    return "local";
  }

  @Override
  protected Map<String, String> propertiesOverrides() {
    // Micronaut's ${random.port}; the stand-in's PortSettings reads -1 as "any free port"
    return Map.of("endpoints.all.port", "-1");
  }
}
