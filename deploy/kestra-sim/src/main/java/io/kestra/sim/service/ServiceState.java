package io.kestra.sim.service;

import java.util.Set;

/** Kestra's service states, as written in {@code service_instance}. */
public enum ServiceState {
  CREATED,
  RUNNING,
  ERROR,
  DISCONNECTED,
  TERMINATING,
  TERMINATED_GRACEFULLY,
  TERMINATED_FORCED,
  NOT_RUNNING,
  EMPTY;

  /**
   * Kestra's {@code allRunningStates()} (less MAINTENANCE, which the stand-in never enters): the
   * only states the liveness coordinator disconnects a silent service from. A worker silent in
   * TERMINATING is left to the unclean-shutdown rule (TERMINATING → DISCONNECTED is no valid
   * transition by Kestra's {@code isValidTransition}).
   */
  public static final Set<ServiceState> RUNNING_STATES = Set.of(CREATED, RUNNING);

  /** States a service is in while it is supposed to heartbeat. */
  public static final Set<ServiceState> ALIVE = Set.of(CREATED, RUNNING, TERMINATING);

  /**
   * States the liveness coordinator sets on another server's service: the service itself must not
   * overwrite them.
   */
  public static final Set<ServiceState> EVICTED = Set.of(DISCONNECTED, NOT_RUNNING, EMPTY);
}
