package io.kestra.upgrade.coordinator.it;

import static io.kestra.upgrade.coordinator.it.Api.awaitRegistered;
import static io.kestra.upgrade.coordinator.it.Api.awaitState;
import static io.kestra.upgrade.coordinator.it.Api.body;
import static io.kestra.upgrade.coordinator.it.Api.cluster;
import static io.kestra.upgrade.coordinator.it.Api.startUpgrade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.coordinator.api.Roles;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Webhooks to a real HTTP receiver ({@link WebhookReceiver}): one Slack-compatible message per
 * notified transition, retried when refused, none of it holding the upgrade.
 */
@QuarkusTest
@TestSecurity(user = "webhooks-it", roles = Roles.OPERATOR)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(WebhookReceiver.class)
class WebhooksIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theTransitionsOfARolledBackUpgradeAreEachNotifiedOnceAfterRetries() throws Exception {
    String cluster = cluster("hooks");
    WebhookReceiver.refuseFirstFor.add(cluster);
    try (FakeFleet fleet = Api.smallFleet(cluster)) {
      fleet.on(
          fleet.id(ComponentKind.EXECUTOR, "executor-1"),
          CommandType.MIGRATE,
          FakeFleet.Behaviour.FAIL);
      fleet.start();
      awaitRegistered(cluster, 3);

      String id = startUpgrade(body(cluster, "1.0.0"));
      awaitState(id, "ROLLED_BACK");

      await().atMost(Duration.ofSeconds(60)).until(() -> taken(cluster).size() >= 3);
      List<JsonNode> taken = taken(cluster);
      assertThat(taken)
          .extracting(m -> m.path("event").path("state").asText())
          .as("started (its preflight passed), rolling back, rolled back: each once")
          .containsExactly("SUCCEEDED", "ROLLING_BACK", "ROLLED_BACK");
      assertThat(taken.get(0).path("text").asText())
          .startsWith(":rocket: Kestra upgrade of *" + cluster + "* 0.21.4 → 1.0.0: started")
          .contains(id);
      assertThat(taken.get(2).path("text").asText())
          .contains("ROLLED_BACK", "rolled back to 0.21.4");
      assertThat(taken.get(2).path("event").path("upgradeId").asText()).isEqualTo(id);
      assertThat(
              WebhookReceiver.DELIVERIES.stream()
                  .filter(d -> d.body().contains(cluster) && d.status() == 503)
                  .count())
          .as("each refused once, then taken")
          .isEqualTo(taken.size());
    }
  }

  private static List<JsonNode> taken(String cluster) {
    return WebhookReceiver.DELIVERIES.stream()
        .filter(d -> d.status() == 204 && d.body().contains(cluster))
        .map(
            d -> {
              try {
                return JSON.readTree(d.body());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }
}
