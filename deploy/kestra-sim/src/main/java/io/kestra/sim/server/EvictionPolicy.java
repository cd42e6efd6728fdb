package io.kestra.sim.server;

import io.kestra.sim.management.Readiness;
import io.kestra.sim.service.EvictionHandler;
import io.kestra.sim.service.LocalService;
import io.kestra.sim.service.ServiceRegistry;
import io.kestra.sim.service.ServiceState;
import io.kestra.sim.service.ServiceType;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What Kestra does when a service finds that the coordinator evicted it (it was silent too long): a
 * standalone server or a webserver re-joins as RUNNING (they never shut themselves down), any other
 * server logs {@code Terminating server.} and terminates itself: it stops gracefully and exits 0.
 */
final class EvictionPolicy implements EvictionHandler {

  private static final Logger LOG = Logger.getLogger(EvictionPolicy.class.getName());

  private final ServiceRegistry registry;
  private final Readiness readiness;
  private final Termination termination;

  EvictionPolicy(ServiceRegistry registry, Readiness readiness, Termination termination) {
    this.registry = registry;
    this.readiness = readiness;
    this.termination = termination;
  }

  @Override
  public void onEvicted(LocalService s, ServiceState stored) {
    String who =
        "[Service id="
            + s.id()
            + ", type="
            + s.type()
            + ", hostname='"
            + registry.server().hostname()
            + "']";
    if (readiness.isStopping()) {
      LOG.warning(() -> who + " Evicted (" + stored + ") while stopping: state left as is.");
      return;
    }
    if (registry.server().isStandalone() || s.type() == ServiceType.WEBSERVER) {
      LOG.warning(() -> who + " Evicted (" + stored + "): forcing the RUNNING state.");
      try {
        registry.force(s, ServiceState.RUNNING);
      } catch (SQLException e) {
        LOG.log(Level.SEVERE, who + " Cannot force the RUNNING state", e);
      }
      return;
    }
    LOG.severe(() -> who + " Terminating server.");
    termination.selfTerminate();
  }
}
