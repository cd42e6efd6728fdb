package io.kestra.sim.service;

/** What a server does when its heartbeat finds that the liveness coordinator evicted a service. */
@FunctionalInterface
public interface EvictionHandler {

  /**
   * Called from the heartbeat thread.
   *
   * @param service the evicted local service
   * @param stored the state the coordinator wrote, or null when the row is gone
   */
  void onEvicted(LocalService service, ServiceState stored);
}
