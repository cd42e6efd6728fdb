package io.kestra.sim.indexer;

import io.kestra.sim.role.Role;
import io.kestra.sim.service.LocalService;
import io.kestra.sim.service.ServiceState;

/** The indexer: it only heartbeats (nothing in the simulator needs indexing). */
public final class Indexer implements Role {

  private final LocalService service;

  /** An indexer for the service. */
  public Indexer(LocalService service) {
    this.service = service;
  }

  @Override
  public LocalService service() {
    return service;
  }

  @Override
  public void start() {
    // nothing to run: its heartbeat is sent with the other services of the process
  }

  @Override
  public ServiceState stop() {
    return ServiceState.TERMINATED_GRACEFULLY;
  }
}
