package io.kestra.upgrade.coordinator.metrics;

import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import io.kestra.upgrade.coordinator.upgrade.store.UpgradeRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * Gauges of the open phases ({@link ActivePhases}) of the upgrades not over, read from the database
 * every {@code coordinator.metrics-interval} (15 s) on every instance, so that a stuck upgrade
 * shows on any of them, the leader's death included: {@code
 * kestra_upgrade_phase_age_seconds{cluster, phase, state}} (since the phase's first command) and
 * {@code kestra_upgrade_phase_at_most_seconds{cluster, phase, state}} (what its steps' deadlines
 * allow it). A phase that ended leaves both series. A refresh that cannot reach the database keeps
 * the last values.
 */
@ApplicationScoped
public class PhaseGauges {

  private static final Logger LOG = Logger.getLogger(PhaseGauges.class);

  private final UpgradeRepository upgrades;
  private final Tx tx;
  private final Clock clock;
  private final MultiGauge age;
  private final MultiGauge atMost;

  public PhaseGauges(UpgradeRepository upgrades, Tx tx, Clock clock, MeterRegistry registry) {
    this.upgrades = upgrades;
    this.tx = tx;
    this.clock = clock;
    this.age =
        MultiGauge.builder("kestra.upgrade.phase.age")
            .description("Open phases of the active upgrades: seconds since their first command")
            .baseUnit("seconds")
            .register(registry);
    this.atMost =
        MultiGauge.builder("kestra.upgrade.phase.at.most")
            .description("Open phases of the active upgrades: seconds their steps' deadlines allow")
            .baseUnit("seconds")
            .register(registry);
  }

  @Scheduled(
      every = "${coordinator.metrics-interval:PT15S}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      List<ActivePhases.ActivePhase> open = ActivePhases.of(tx.run(upgrades::active));
      // the age is read at each scrape, so that it grows between two refreshes
      age.register(rows(open, p -> p.age(clock.instant()).toMillis() / 1000.0), true);
      atMost.register(rows(open, p -> p.atMost().toMillis() / 1000.0), true);
    } catch (DatabaseUnavailableException e) {
      LOG.debugf("phase gauges not refreshed: %s", e.getMessage());
    }
  }

  private static List<MultiGauge.Row<?>> rows(
      List<ActivePhases.ActivePhase> open, ToDoubleFunction<ActivePhases.ActivePhase> value) {
    return open.stream()
        .<MultiGauge.Row<?>>map(
            p ->
                MultiGauge.Row.of(
                    Tags.of(
                        "cluster",
                        p.cluster(),
                        "phase",
                        p.phase().name(),
                        "state",
                        p.state().name()),
                    p,
                    value))
        .toList();
  }
}
