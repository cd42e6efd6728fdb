package io.kestra.upgrade.sandbox.stack;

import java.util.List;

/**
 * The stand-in Kestra fleet of the sandbox: which servers, their ports, and the agent beside each.
 *
 * @param cluster the cluster name of every agent
 * @param servers the servers
 * @param profile their load, and whether they migrate at start
 */
public record FleetSpec(String cluster, List<Server> servers, KestraConfig.Profile profile) {

  /** The fleet under the demo's load. */
  public FleetSpec(String cluster, List<Server> servers) {
    this(cluster, servers, KestraConfig.Profile.DEMO);
  }

  /** The same servers under {@code other}. */
  public FleetSpec withProfile(KestraConfig.Profile other) {
    return new FleetSpec(cluster, servers, other);
  }

  /**
   * One Kestra server and its agent.
   *
   * @param kind {@code executor}, {@code worker}, ...
   * @param instance instance name
   * @param managementPort the server's management port ({@code endpoints.all.port}: health,
   *     metrics)
   * @param apiPort the server's API port ({@code micronaut.server.port}), which every Kestra server
   *     binds, not only the webserver
   * @param serverArgs arguments after {@code server <kind>}
   * @param capabilities the agent's capabilities, comma-separated, or empty
   */
  public record Server(
      String kind,
      String instance,
      int managementPort,
      int apiPort,
      List<String> serverArgs,
      String capabilities) {

    /** Whether users call this server's API: a webserver, or a standalone server. */
    public boolean servesUsers() {
      return kind.equals("webserver") || kind.equals("standalone");
    }
  }

  /**
   * Executor, two workers, scheduler, webserver and indexer; the executor's agent backs up and
   * migrates. The webserver's API is {@link Ports#KESTRA_API}.
   */
  public static FleetSpec standard(String cluster) {
    return new FleetSpec(
        cluster,
        List.of(
            server(1, "executor", "executor-1", List.of(), "BACKUP,MIGRATE"),
            server(2, "worker", "worker-1", List.of("-t", "4"), ""),
            server(3, "worker", "worker-2", List.of("-t", "4"), ""),
            server(4, "scheduler", "scheduler-1", List.of(), ""),
            server(5, "webserver", "webserver-1", List.of(), ""),
            server(6, "indexer", "indexer-1", List.of(), "")));
  }

  /**
   * The rolling demo's fleet: executor, three workers, scheduler, two webservers and indexer; the
   * executor's agent backs up and migrates. The first webserver's API is {@link Ports#KESTRA_API},
   * the second's its own: a load balancer in front of both would fail over between them, as the
   * demo's API probe does.
   */
  public static FleetSpec rolling(String cluster) {
    return new FleetSpec(
        cluster,
        List.of(
            server(1, "executor", "executor-1", List.of(), "BACKUP,MIGRATE"),
            server(2, "worker", "worker-1", List.of("-t", "4"), ""),
            server(3, "worker", "worker-2", List.of("-t", "4"), ""),
            server(7, "worker", "worker-3", List.of("-t", "4"), ""),
            server(4, "scheduler", "scheduler-1", List.of(), ""),
            server(5, "webserver", "webserver-1", List.of(), ""),
            server(8, "webserver", "webserver-2", List.of(), ""),
            server(6, "indexer", "indexer-1", List.of(), "")));
  }

  private static Server server(
      int number, String kind, String instance, List<String> args, String capabilities) {
    // the first webserver's API is the one users call; any other has a port of its own
    int api =
        instance.equals("webserver-1") ? Ports.KESTRA_API : Ports.KESTRA_SERVER_API_BASE + number;
    return new Server(
        kind, instance, Ports.KESTRA_MANAGEMENT_BASE + number, api, args, capabilities);
  }

  /** Every server whose API users call, the first one first. */
  public List<Server> apiServers() {
    return servers.stream().filter(Server::servesUsers).toList();
  }

  /** The server whose API users call: the first webserver, or a standalone server. */
  public Server apiServer() {
    return servers.stream()
        .filter(Server::servesUsers)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no webserver in " + cluster));
  }
}
