package io.kestra.sim.service;

/**
 * The process a service runs in, as written in its {@code service_instance} row (Kestra's {@code
 * ServerInstance}).
 *
 * @param id random id of this process run
 * @param type {@code SERVER}, or {@code STANDALONE} for a standalone server
 * @param version the Kestra version
 * @param hostname the host name
 * @param apiPort the API port ({@code server.port} in the row's props, as Kestra's)
 * @param managementPort the management port ({@code server.management.port})
 */
public record ServerInfo(
    String id, String type, String version, String hostname, int apiPort, int managementPort) {

  /** Whether the process is a standalone server (it never terminates itself on eviction). */
  public boolean isStandalone() {
    return "STANDALONE".equals(type);
  }
}
