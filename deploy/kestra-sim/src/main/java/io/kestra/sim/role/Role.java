package io.kestra.sim.role;

import io.kestra.sim.service.LocalService;
import io.kestra.sim.service.ServiceState;

/** One Kestra service run by this process: executor, worker, scheduler, webserver or indexer. */
public interface Role {

  /** The service this role registered in {@code service_instance}. */
  LocalService service();

  /** Starts the role's threads. */
  void start();

  /**
   * Stops the role. Only a worker blocks here (it drains its task runs for up to its grace period);
   * the others stop their loops and return at once.
   *
   * @return the terminal state to write: TERMINATED_GRACEFULLY or TERMINATED_FORCED
   */
  ServiceState stop();
}
