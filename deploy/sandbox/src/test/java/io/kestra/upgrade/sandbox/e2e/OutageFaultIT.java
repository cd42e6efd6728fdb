package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.stack.KafkaBroker;
import io.kestra.upgrade.sandbox.support.Http;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault family "outages": the coordinator's own broker killed for 30 s, and its own PostgreSQL
 * frozen for 20 s (every process SIGSTOPped: connections open, nothing answered), each in the
 * middle of an upgrade's drain. The coordinator sees its own outage (readiness down, a log line),
 * declares no agent LOST for it, answers the API with 503 in its own error format while the
 * database is out, and the upgrade completes once the outage is over.
 */
class OutageFaultIT {

  private static final Duration BROKER_DOWN = Duration.ofSeconds(30);
  private static final Duration DATABASE_FROZEN = Duration.ofSeconds(20);
  private static final Duration TASK = Duration.ofSeconds(15);

  private static KafkaBroker broker;
  private static PausablePostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    broker = OwnBroker.start("outage", Optional.empty());
    postgres = PausablePostgres.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
    if (broker != null) {
      broker.stop();
    }
  }

  private static String upgradeUntilDrain(Scenario scenario, AgentFleet fleet) throws Exception {
    String id = scenario.startUpgrade(fleet, "1.0.0", "PT60S", "PT10S");
    scenario.awaitPhaseInFlight(id, "DRAIN");
    return id;
  }

  private static boolean ready(CoordinatorProcess c) {
    return new Http().isOk(c.url() + "/q/health/ready");
  }

  private static String log(CoordinatorProcess c) throws Exception {
    return Files.readString(c.log());
  }

  @Test
  void theBrokerDownForThirtySecondsNoAgentIsLostAndTheUpgradeCompletes() throws Exception {
    try (Scenario scenario = Scenario.start("broker-outage", OwnBroker.of(broker))) {
      AgentFleet fleet = scenario.drainingFleet("broker", TASK, false);
      String id = upgradeUntilDrain(scenario, fleet);
      CoordinatorProcess coordinator = scenario.coordinator();

      Instant down = Instant.now();
      broker.process().kill();
      await("readiness reports the broker down")
          .atMost(BROKER_DOWN)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> !ready(coordinator));
      await("the coordinator says it sees its own outage")
          .atMost(BROKER_DOWN)
          .until(() -> log(coordinator).contains("the broker is unreachable"));
      Thread.sleep(Duration.between(Instant.now(), down.plus(BROKER_DOWN)).toMillis());
      Instant restarted = Instant.now();
      broker.start(System.out);
      // measured from the broker listening again: its own start after a crash is not ours
      Instant back = Instant.now();
      JsonNode upgrade = scenario.awaitEnd(id);

      long lost = scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
      assertThat(upgrade.path("events").toString()).doesNotContain("AGENT_LOST");
      assertThat(log(coordinator)).contains("the broker is back");
      assertThat(ready(coordinator)).as("ready again").isTrue();
      FaultReport.add(
          new FaultReport.Row(
              "outage",
              "Kafka killed for "
                  + BROKER_DOWN.toSeconds()
                  + " s (restarted, listening after "
                  + FaultReport.seconds(Duration.between(restarted, back))
                  + ")",
              "DRAIN",
              upgrade.path("state").asText(),
              Duration.between(back, scenario.db.firstEventAfter(id, back).orElseThrow()),
              lost,
              "OutageFaultIT"));
    }
  }

  @Test
  void theDatabaseFrozenForTwentySecondsTheApiAnswers503AndTheUpgradeCompletes() throws Exception {
    try (Scenario scenario =
        Scenario.start(
            "db-outage",
            OwnBroker.of(broker),
            postgres.newDatabase("coordinator_" + Instant.now().toEpochMilli()))) {
      AgentFleet fleet = scenario.drainingFleet("database", TASK, false);
      String id = upgradeUntilDrain(scenario, fleet);
      CoordinatorProcess coordinator = scenario.coordinator();

      Instant frozen = Instant.now();
      postgres.pause();
      Http.Answer during;
      try {
        await("the API answers 503 while the database is out")
            .atMost(DATABASE_FROZEN)
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(
                () ->
                    coordinator
                            .client()
                            .get(
                                coordinator.url() + "/api/v1/upgrades/" + id,
                                Duration.ofSeconds(15))
                            .status()
                        == 503);
        during =
            coordinator
                .client()
                .get(coordinator.url() + "/api/v1/upgrades/" + id, Duration.ofSeconds(15));
        await("readiness reports the database down")
            .atMost(DATABASE_FROZEN)
            .pollInterval(Duration.ofMillis(500))
            .until(() -> !ready(coordinator));
        Thread.sleep(
            Math.max(0, Duration.between(Instant.now(), frozen.plus(DATABASE_FROZEN)).toMillis()));
      } finally {
        postgres.resume();
      }
      Instant back = Instant.now();
      JsonNode upgrade = scenario.awaitEnd(id);

      assertThat(during.status()).isEqualTo(503);
      assertThat(during.body().path("error").asText()).isEqualTo("DATABASE_UNAVAILABLE");
      assertThat(during.body().path("message").asText()).isNotBlank();
      long lost = scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
      assertThat(upgrade.path("events").toString()).doesNotContain("AGENT_LOST");
      FaultReport.add(
          new FaultReport.Row(
              "outage",
              "coordinator's PostgreSQL frozen (SIGSTOP) for " + DATABASE_FROZEN.toSeconds() + " s",
              "DRAIN",
              upgrade.path("state").asText(),
              Duration.between(back, scenario.db.firstEventAfter(id, back).orElseThrow()),
              lost,
              "OutageFaultIT"));
    }
  }
}
