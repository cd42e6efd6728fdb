package io.kestra.sim.service;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The services of this process: registers them in {@code service_instance}, moves their state
 * (locally and in the database) and sends their heartbeats.
 */
public final class ServiceRegistry {

  private static final Logger LOG = Logger.getLogger(ServiceRegistry.class.getName());

  private final ServiceInstanceRepository repository;
  private final ServerInfo server;
  private final ServiceConfig config;
  private final List<LocalService> services = new CopyOnWriteArrayList<>();
  private volatile EvictionHandler evictionHandler = (s, stored) -> {};
  private volatile boolean lastHeartbeatSucceeded = true;

  /** A registry writing rows for {@code server} with the published {@code config}. */
  public ServiceRegistry(
      ServiceInstanceRepository repository, ServerInfo server, ServiceConfig config) {
    this.repository = repository;
    this.server = server;
    this.config = config;
  }

  /** Sets what to do when the coordinator evicts one of the services. */
  public void onEviction(EvictionHandler handler) {
    this.evictionHandler = handler;
  }

  /** Registers a new service in state CREATED. */
  public LocalService register(ServiceType type) throws SQLException {
    LocalService s = new LocalService(type);
    repository.insert(s, server, config);
    services.add(s);
    LOG.info(
        () ->
            "[Service id="
                + s.id()
                + ", type='"
                + type
                + "', hostname='"
                + server.hostname()
                + "'] Connected.");
    return s;
  }

  /**
   * Moves one service to a state. A database failure is logged, not thrown: a stopping server must
   * go on stopping.
   */
  public void transition(LocalService s, ServiceState state) {
    s.state(state);
    try {
      if (!repository.update(s.id(), state)) {
        LOG.warning(() -> s + " State " + state + " not written: the coordinator evicted it.");
      }
    } catch (SQLException e) {
      LOG.log(Level.SEVERE, s + " Failed to update state to " + state, e);
    }
  }

  /** Moves every service of this process to a state. */
  public void transitionAll(ServiceState state) {
    services.forEach(s -> transition(s, state));
  }

  /**
   * Writes each live service's state again: the heartbeat. A service that reached a terminal state
   * is left alone, as Kestra stops updating it.
   */
  public void heartbeat() {
    boolean ok = true;
    for (LocalService s : services) {
      if (!ServiceState.ALIVE.contains(s.state())) {
        continue;
      }
      try {
        if (!repository.update(s.id(), s.state())) {
          ServiceState stored = repository.storedState(s.id()).orElse(null);
          evictionHandler.onEvicted(s, stored);
        }
      } catch (SQLException e) {
        ok = false;
        LOG.log(Level.SEVERE, s + " Failed to update state: " + e.getMessage(), e);
      }
    }
    lastHeartbeatSucceeded = ok;
  }

  /** Writes a state whatever the stored one (re-joining after an eviction). */
  public void force(LocalService s, ServiceState state) throws SQLException {
    s.state(state);
    repository.force(s.id(), state);
  }

  /** Whether the last heartbeat reached the database. */
  public boolean isHealthy() {
    return lastHeartbeatSucceeded;
  }

  /** The services, in registration order. */
  public List<LocalService> all() {
    return List.copyOf(services);
  }

  /** The process the services run in. */
  public ServerInfo server() {
    return server;
  }
}
