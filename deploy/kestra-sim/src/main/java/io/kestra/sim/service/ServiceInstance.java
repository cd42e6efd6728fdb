package io.kestra.sim.service;

import java.time.Instant;

/**
 * A {@code service_instance} row as the liveness coordinator reads it.
 *
 * @param id service id
 * @param type service type
 * @param state stored state
 * @param hostname host of the service
 * @param createdAt when it registered
 * @param updatedAt last heartbeat or state change (database clock)
 * @param config the settings the service published
 */
public record ServiceInstance(
    String id,
    ServiceType type,
    ServiceState state,
    String hostname,
    Instant createdAt,
    Instant updatedAt,
    ServiceConfig config) {

  @Override
  public String toString() {
    return "[id=" + id + ", type=" + type + ", hostname=" + hostname + ", state=" + state + "]";
  }
}
