package io.kestra.upgrade.coordinator.it;

import static io.kestra.upgrade.coordinator.it.Api.awaitRegistered;
import static io.kestra.upgrade.coordinator.it.Api.awaitState;
import static io.kestra.upgrade.coordinator.it.Api.body;
import static io.kestra.upgrade.coordinator.it.Api.cluster;
import static io.kestra.upgrade.coordinator.it.Api.startUpgrade;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.api.Roles;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.kestra.upgrade.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The product's metrics on {@code /q/metrics}, in Prometheus' text format, during and after an
 * upgrade the coordinator carried out against the real broker and database ({@link FakeFleet} plays
 * the agents) and a record it set aside; and every metric that the Grafana dashboard and the
 * Prometheus rules of {@code deploy/monitoring} query is among the series scraped.
 */
@QuarkusTest
@TestSecurity(user = "metrics-it", roles = Roles.OPERATOR)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class MetricsIT {

  @Test
  void anUpgradeItsStepsItsAgentsAndADeadLetterAreCounted() throws Exception {
    String cluster = cluster("metrics");
    try (FakeFleet fleet =
        new FakeFleet(TestKafka.bootstrapServers(), Topics.defaults(), cluster)
            .agent(ComponentKind.EXECUTOR, "executor-1", Capability.BACKUP, Capability.MIGRATE)
            .agent(ComponentKind.WORKER, "worker-1")
            .agent(ComponentKind.WORKER, "worker-2")
            .agent(ComponentKind.WEBSERVER, "webserver-1")) {
      String worker = fleet.id(ComponentKind.WORKER, "worker-1");
      fleet.on(worker, CommandType.STOP, FakeFleet.Behaviour.HOLD).start();
      awaitRegistered(cluster, 4);
      double upgradesBefore = value(metrics(), upgraded()).orElse(0);
      double poisonBefore = value(metrics(), poisoned()).orElse(0);

      String id = startUpgrade(body(cluster, "1.0.0", "\"progressDeadline\":\"PT5M\""));
      // the worker's drain held: the open phase shows, with its age growing and its bound
      String[] draining = {
        "kestra_upgrade_phase_age_seconds{",
        "cluster=\"" + cluster + "\"",
        "phase=\"DRAIN\"",
        "state=\"RUNNING\""
      };
      await().atMost(Duration.ofSeconds(30)).until(() -> value(metrics(), draining).orElse(0) >= 2);
      String during = metrics();
      assertThat(
              value(
                      during,
                      "kestra_upgrade_phase_at_most_seconds{",
                      "cluster=\"" + cluster + "\"",
                      "phase=\"DRAIN\"")
                  .orElse(-1))
          .as("the drain's bound: the stop's grace period and kill margin at least")
          .isGreaterThan(value(during, draining).orElseThrow());
      fleet.release();

      awaitState(id, "SUCCEEDED");
      try (KafkaProducer<String, byte[]> producer =
          KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "metrics-" + cluster)) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.defaults().acks(),
                    cluster + "/worker/worker-1",
                    "{not json".getBytes(StandardCharsets.UTF_8)))
            .get();
      }

      String[] gauge = {
        "kestra_upgrade_agents{",
        "cluster=\"" + cluster + "\"",
        "state=\"RUNNING\"",
        "version=\"1.0.0\""
      };
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                String m = metrics();
                return value(m, gauge).orElse(0) == 4
                    && value(m, poisoned()).orElse(0) > poisonBefore;
              });
      String m = metrics();
      assertThat(value(m, upgraded()).orElse(0)).isEqualTo(upgradesBefore + 1);
      assertThat(
              value(
                      m,
                      "kestra_upgrade_duration_seconds_count{",
                      "outcome=\"SUCCEEDED\"",
                      "strategy=\"FULL_STOP\"")
                  .orElse(-1))
          .isGreaterThanOrEqualTo(1);
      assertThat(
              value(
                      m,
                      "kestra_upgrade_phase_duration_seconds_count{",
                      "outcome=\"succeeded\"",
                      "phase=\"DRAIN\"")
                  .orElse(-1))
          .isGreaterThanOrEqualTo(1);
      assertThat(
              value(m, "kestra_upgrade_steps_total{", "command=\"STOP\"", "result=\"SUCCEEDED\"")
                  .orElse(-1))
          .as("the executor and both workers stopped")
          .isGreaterThanOrEqualTo(3);
      assertThat(
              value(
                      m,
                      "kestra_upgrade_command_round_trip_seconds_count{",
                      "command=\"PREPARE\"",
                      "result=\"SUCCEEDED\"")
                  .orElse(-1))
          .isGreaterThanOrEqualTo(4);
      assertThat(value(m, "kestra_upgrade_heartbeat_lag_seconds_count").orElse(-1)).isPositive();
      assertThat(value(m, "kestra_upgrade_outbox_backlog")).isPresent();
      await().atMost(Duration.ofSeconds(10)).until(() -> value(metrics(), draining).isEmpty());

      Set<String> scraped = new TreeSet<>(seriesNames(during));
      scraped.addAll(seriesNames(m));
      Set<String> used = MonitoringQueries.metricNames();
      assertThat(used)
          .as("what deploy/monitoring queries (a parse that finds little is a broken parse)")
          .hasSizeGreaterThanOrEqualTo(15)
          .contains(
              "kestra_upgrade_upgrades_total",
              "kestra_upgrade_phase_age_seconds",
              "kestra_upgrade_dead_lettered_total");
      assertThat(scraped).as("the series /q/metrics gave").containsAll(used);
    }
  }

  /** The names of the series of a scrape: each sample line's name, before its labels or value. */
  private static Set<String> seriesNames(String metrics) {
    return metrics
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String[] upgraded() {
    return new String[] {
      "kestra_upgrade_upgrades_total{", "outcome=\"SUCCEEDED\"", "strategy=\"FULL_STOP\""
    };
  }

  private static String[] poisoned() {
    return new String[] {
      "kestra_upgrade_dead_lettered_total{", "cause=\"poison\"", "channel=\"acks\""
    };
  }

  private static String metrics() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /**
   * The value of the one series whose line starts with {@code parts[0]} and holds every other part
   * (its labels), if there is one.
   */
  private static OptionalDouble value(String metrics, String... parts) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(parts[0]) && !l.startsWith("#"))
        .filter(l -> Arrays.stream(parts).skip(1).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst();
  }
}
