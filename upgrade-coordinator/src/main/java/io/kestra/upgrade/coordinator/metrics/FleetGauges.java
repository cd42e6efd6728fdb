package io.kestra.upgrade.coordinator.metrics;

import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.fleet.AgentRecord;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import io.kestra.upgrade.coordinator.outbox.OutboxStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Gauges read from the database every {@code coordinator.metrics-interval} (15 s) on every
 * instance: {@code kestra_upgrade_agents{cluster, state, version}} (state: LOST, else the server's
 * state as its agent reports it; version: the Kestra version it runs) and {@code
 * kestra_upgrade_outbox_backlog} (records waiting to be published). A refresh that cannot reach the
 * database keeps the last values.
 */
@ApplicationScoped
public class FleetGauges {

  private static final Logger LOG = Logger.getLogger(FleetGauges.class);

  private final FleetService fleet;
  private final OutboxStore outbox;
  private final Tx tx;
  private final MultiGauge agents;
  private final AtomicLong backlog = new AtomicLong();

  public FleetGauges(FleetService fleet, OutboxStore outbox, Tx tx, MeterRegistry registry) {
    this.fleet = fleet;
    this.outbox = outbox;
    this.tx = tx;
    this.agents =
        MultiGauge.builder("kestra.upgrade.agents")
            .description("Agents by cluster, state (LOST or their server's) and Kestra version")
            .register(registry);
    Gauge.builder("kestra.upgrade.outbox.backlog", backlog, AtomicLong::get)
        .description("Outbox records waiting to be published")
        .register(registry);
  }

  @Scheduled(
      every = "${coordinator.metrics-interval:PT15S}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    try {
      List<AgentRecord> all = fleet.agents(null);
      Map<Tags, Long> counts =
          all.stream()
              .collect(
                  Collectors.groupingBy(
                      a ->
                          Tags.of(
                              "cluster",
                              a.heartbeat().cluster(),
                              "state",
                              fleet.isLost(a) ? "LOST" : a.heartbeat().component().state().name(),
                              "version",
                              String.valueOf(a.heartbeat().component().version())),
                      java.util.LinkedHashMap::new,
                      Collectors.counting()));
      agents.register(
          counts.entrySet().stream()
              .map(e -> MultiGauge.Row.of(e.getKey(), e.getValue()))
              .collect(Collectors.toList()),
          true);
      backlog.set(tx.run(outbox::backlog));
    } catch (DatabaseUnavailableException e) {
      LOG.debugf("metrics not refreshed: %s", e.getMessage());
    }
  }
}
