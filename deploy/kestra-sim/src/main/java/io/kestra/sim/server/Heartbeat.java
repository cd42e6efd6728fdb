package io.kestra.sim.server;

import io.kestra.sim.config.LivenessSettings;
import io.kestra.sim.service.ServiceRegistry;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the heartbeat of the process's services every {@code kestra.server.liveness
 * .heartbeatInterval}, shutdown included (a draining worker must not look dead).
 */
final class Heartbeat {

  private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "service-liveness-manager");
            t.setDaemon(true);
            return t;
          });

  void start(ServiceRegistry registry, LivenessSettings liveness) {
    if (!liveness.enabled()) {
      LOG.warning(LivenessSettings.DISABLED_WARNING);
      return;
    }
    long ms = liveness.heartbeatInterval().toMillis();
    timer.scheduleAtFixedRate(() -> beat(registry), ms, ms, TimeUnit.MILLISECONDS);
  }

  void stop() {
    timer.shutdownNow();
  }

  private static void beat(ServiceRegistry registry) {
    try {
      registry.heartbeat();
    } catch (RuntimeException e) {
      // an exception would cancel the schedule: the services would then look dead
      LOG.log(Level.SEVERE, "Heartbeat failed", e);
    }
  }
}
