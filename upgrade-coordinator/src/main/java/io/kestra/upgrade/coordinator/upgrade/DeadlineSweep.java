package io.kestra.upgrade.coordinator.upgrade;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Runs the periodic sweep of step deadlines and lost agents. */
@ApplicationScoped
public class DeadlineSweep {

  private static final Logger LOG = Logger.getLogger(DeadlineSweep.class);

  private final UpgradeService upgrades;

  public DeadlineSweep(UpgradeService upgrades) {
    this.upgrades = upgrades;
  }

  @Scheduled(
      every = "${coordinator.sweep-interval:PT1S}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    try {
      upgrades.sweep();
    } catch (RuntimeException e) {
      // the next tick tries again; a database outage must not stop the schedule
      LOG.warn("deadline sweep failed", e);
    }
  }
}
