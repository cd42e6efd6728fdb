package io.kestra.sim.server;

import io.kestra.sim.management.Readiness;
import io.kestra.sim.role.Role;
import io.kestra.sim.service.ServiceRegistry;
import io.kestra.sim.service.ServiceState;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JVM shutdown hook, Kestra's graceful exit:
 *
 * <ol>
 *   <li>log {@code Receiving shutdown ! Try to graceful exit} (with the {@code shutdown.hang} fault
 *       on, block here for ever: only SIGKILL ends the process);
 *   <li>readiness DOWN, every service TERMINATING;
 *   <li>stop the roles in order: the webserver first (the API stops answering), the worker last (it
 *       drains for up to its grace period); write each terminal state;
 *   <li>stop the heartbeat and return: the JVM then ends with 143 after an outside SIGTERM, or with
 *       0 when the server terminated itself (its main thread called {@code System.exit(0)}).
 *       Nothing here calls exit or halt: a hook cannot change the status of a signalled JVM, and
 *       Kestra's hook does not try.
 * </ol>
 */
final class GracefulShutdown implements Runnable {

  private static final Logger LOG = Logger.getLogger(GracefulShutdown.class.getName());

  private final BooleanSupplier hang;
  private final Readiness readiness;
  private final ServiceRegistry registry;
  private final List<Role> roles;
  private final Heartbeat heartbeat;

  GracefulShutdown(
      BooleanSupplier hang,
      Readiness readiness,
      ServiceRegistry registry,
      List<Role> roles,
      Heartbeat heartbeat) {
    this.hang = hang;
    this.readiness = readiness;
    this.registry = registry;
    this.roles = roles;
    this.heartbeat = heartbeat;
  }

  @Override
  public void run() {
    LOG.warning("Receiving shutdown ! Try to graceful exit");
    if (hang.getAsBoolean()) {
      LOG.warning("Shutdown hangs (fault shutdown.hang): only SIGKILL ends this process");
      blockForever();
    }
    readiness.markStopping();
    registry.transitionAll(ServiceState.TERMINATING);
    for (Role role : roles) {
      registry.transition(role.service(), stop(role));
    }
    heartbeat.stop();
    LOG.info("Server stopped");
    System.out.flush();
    System.err.flush();
  }

  private static ServiceState stop(Role role) {
    try {
      return role.stop();
    } catch (RuntimeException e) {
      // the other roles must still stop, and the process must still end
      LOG.log(Level.SEVERE, role.service() + " Failed to stop gracefully", e);
      return ServiceState.TERMINATED_FORCED;
    }
  }

  private static void blockForever() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      // nobody interrupts a shutdown hook; if someone does, go on with the graceful exit
      Thread.currentThread().interrupt();
    }
  }
}
