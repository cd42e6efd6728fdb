package io.kestra.sim.service;

/**
 * The process a service runs in, as written in its {@code service_instance} row.
 *
 * @param id random id of this process run
 * @param type {@code SERVER}, or {@code STANDALONE} for a standalone server
 * @param version the Kestra version
 * @param hostname the host name
 * @param pid the process id
 */
public record ServerInfo(String id, String type, String version, String hostname, long pid) {

  /** Whether the process is a standalone server (it never terminates itself on eviction). */
  public boolean isStandalone() {
    return "STANDALONE".equals(type);
  }
}
