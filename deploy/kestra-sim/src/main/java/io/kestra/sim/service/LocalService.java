package io.kestra.sim.service;

import java.util.UUID;

/**
 * A service of this process and its state as this process sees it. Its id is new at every start, as
 * Kestra's are.
 */
public final class LocalService {

  private final String id = UUID.randomUUID().toString();
  private final ServiceType type;
  private volatile ServiceState state = ServiceState.CREATED;

  /** A new service in state CREATED. */
  public LocalService(ServiceType type) {
    this.type = type;
  }

  /** The service id ({@code service_instance.key}, and a worker's {@code worker_id}). */
  public String id() {
    return id;
  }

  /** The service type. */
  public ServiceType type() {
    return type;
  }

  /** The current local state. */
  public ServiceState state() {
    return state;
  }

  void state(ServiceState newState) {
    this.state = newState;
  }

  @Override
  public String toString() {
    return "[Service id=" + id + ", type=" + type + "]";
  }
}
