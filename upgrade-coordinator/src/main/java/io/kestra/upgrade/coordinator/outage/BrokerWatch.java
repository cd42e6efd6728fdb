package io.kestra.upgrade.coordinator.outage;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tells {@link Judgement} whether the broker is reachable, from the channels' own readiness (their
 * clients' connections, as {@code /q/health/ready} reports them): a coordinator that cannot reach
 * its broker hears no agent, and must not take that silence for theirs.
 */
@ApplicationScoped
public class BrokerWatch {

  private final HealthCenter health;
  private final Judgement judgement;

  public BrokerWatch(HealthCenter health, Judgement judgement) {
    this.health = health;
    this.judgement = judgement;
  }

  @Scheduled(
      every = "${coordinator.sweep-interval:PT1S}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void check() {
    if (health.isInitialized()) {
      judgement.brokerReachable(health.getReadiness().isOk());
    }
  }
}
