package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.sandbox.stack.KafkaBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault family "nobody acts without a key", on Kafka: a broker whose only listener requires
 * SASL/SCRAM-SHA-256. A client without credentials, or with a wrong password, gets nothing from it;
 * the coordinator and the agents (processes, configured as the sandbox configures them), given the
 * standard client properties, run a whole upgrade on it.
 */
class SecurityFaultIT {

  private static final KafkaBroker.Scram USER =
      new KafkaBroker.Scram("upgrade", "s3cret-" + Long.toHexString(System.nanoTime()));

  private static KafkaBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = OwnBroker.start("scram", Optional.of(USER));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  private static Admin admin(Map<String, String> client) {
    Map<String, Object> p = new HashMap<>(client);
    p.put("bootstrap.servers", broker.bootstrap());
    p.put("default.api.timeout.ms", "8000");
    p.put("request.timeout.ms", "4000");
    return Admin.create(p);
  }

  @Test
  void aClientWithoutCredentialsGetsNothing() {
    try (Admin anonymous = admin(Map.of())) {
      assertThatThrownBy(() -> anonymous.listTopics().names().get(20, TimeUnit.SECONDS))
          .as("a PLAINTEXT client on the SASL listener")
          .isNotNull();
    }
  }

  @Test
  void aClientWithAWrongPasswordIsRefused() {
    Map<String, String> wrong = new HashMap<>(broker.clientProperties());
    wrong.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + USER.user()
            + "\" password=\"not-the-password\";");
    try (Admin intruder = admin(wrong)) {
      assertThatThrownBy(() -> intruder.listTopics().names().get(20, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
    }
  }

  @Test
  void theRightCredentialsAreEnoughForAWholeUpgrade() throws Exception {
    try (Admin allowed = admin(broker.clientProperties())) {
      assertThat(allowed.listTopics().names().get(20, TimeUnit.SECONDS)).isNotNull();
    }
    try (Scenario scenario = Scenario.start("scram", OwnBroker.of(broker))) {
      AgentFleet fleet = scenario.drainingFleet("scram", Duration.ofSeconds(5), true);
      String id = scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S");
      JsonNode upgrade = scenario.awaitEnd(id);

      long lost = scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
      FaultReport.add(
          new FaultReport.Row(
              "security",
              "broker requires SASL/SCRAM; anonymous and wrong-password clients refused",
              "the whole upgrade",
              upgrade.path("state").asText(),
              null,
              lost,
              "SecurityFaultIT"));
    }
  }
}
