package io.kestra.upgrade.sandbox;

import java.util.List;

/**
 * The stand-in Kestra fleet of the sandbox: which servers, their ports, and the agent beside each.
 *
 * @param cluster the cluster name of every agent
 * @param servers the servers
 */
public record FleetSpec(String cluster, List<Server> servers) {

  /**
   * One Kestra server and its agent.
   *
   * @param kind {@code executor}, {@code worker}, ...
   * @param instance instance name
   * @param managementPort the server's management port (health, metrics)
   * @param apiPort the API port (webserver, standalone), or 0
   * @param serverArgs arguments after {@code server <kind>}
   * @param capabilities the agent's capabilities, comma-separated, or empty
   */
  public record Server(
      String kind,
      String instance,
      int managementPort,
      int apiPort,
      List<String> serverArgs,
      String capabilities) {}

  /**
   * Executor, two workers, scheduler, webserver and indexer; the executor's agent backs up and
   * migrates.
   */
  public static FleetSpec standard(String cluster) {
    int m = Ports.KESTRA_MANAGEMENT_BASE;
    return new FleetSpec(
        cluster,
        List.of(
            new Server("executor", "executor-1", m + 1, 0, List.of(), "BACKUP,MIGRATE"),
            new Server("worker", "worker-1", m + 2, 0, List.of("-t", "4"), ""),
            new Server("worker", "worker-2", m + 3, 0, List.of("-t", "4"), ""),
            new Server("scheduler", "scheduler-1", m + 4, 0, List.of(), ""),
            new Server("webserver", "webserver-1", m + 5, Ports.KESTRA_API, List.of(), ""),
            new Server("indexer", "indexer-1", m + 6, 0, List.of(), "")));
  }
}
