package io.kestra.upgrade.coordinator.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.api.Roles;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.kestra.upgrade.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whom the coordinator trusts: agents whose messages it refuses (an older contract, a wrong key)
 * are named in the registry and by preflight instead of being silently missing; LOST is judged on
 * the coordinator's clock, so an agent whose clock is an hour off is still seen, and preflight says
 * its clock is off.
 */
@QuarkusTest
@TestSecurity(user = "trust-it", roles = Roles.OPERATOR)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class AgentTrustIT {

  private FakeFleet fleet;

  @AfterEach
  void close() {
    if (fleet != null) {
      fleet.close();
    }
  }

  private FakeFleet fleet(String name) {
    String cluster = name + "-" + UUID.randomUUID().toString().substring(0, 6);
    fleet = new FakeFleet(TestKafka.bootstrapServers(), Topics.defaults(), cluster);
    return fleet;
  }

  private static List<Map<String, Object>> agents(String cluster) {
    return given()
        .queryParam("cluster", cluster)
        .get("/api/v1/agents")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("$");
  }

  private static Map<String, Object> agent(String cluster, String agentId) {
    return agents(cluster).stream()
        .filter(a -> agentId.equals(a.get("agentId")))
        .findFirst()
        .orElse(null);
  }

  private static JsonPath plan(String cluster) {
    return given()
        .contentType(ContentType.JSON)
        .body(Api.body(cluster, "1.0.0"))
        .post("/api/v1/upgrades/plan")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  @Test
  void agentsOfAnOlderContractOrWithAWrongKeyAreNamedAndRefusedByPreflight() {
    FakeFleet f =
        fleet("refused")
            .agent(ComponentKind.EXECUTOR, "e1")
            .agent(ComponentKind.WORKER, "old")
            .agent(ComponentKind.WORKER, "forger");
    String old = f.id(ComponentKind.WORKER, "old");
    String forger = f.id(ComponentKind.WORKER, "forger");
    f.schemaVersion(old, 1).signedAs(forger, f.id(ComponentKind.WORKER, "e1")).start();
    String cluster = agentCluster(f);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> agents(cluster).stream().filter(a -> a.get("refusal") != null).count() == 2);

    assertThat(agent(cluster, old).get("refusal"))
        .asString()
        .contains("contract version 1")
        .contains("version 2 and newer");
    assertThat(agent(cluster, old).get("lastSeen")).as("never seen").isNull();
    assertThat(agent(cluster, old).get("status")).isEqualTo("LOST");
    assertThat(agent(cluster, forger).get("refusal"))
        .asString()
        .contains("does not verify with its key")
        .contains("kestra-upgrade agent-key " + forger);
    JsonPath plan = plan(cluster);
    assertThat(plan.getList("findings.code", String.class)).contains("AGENT_REFUSED");
    assertThat(plan.getString("findings.find { it.code == 'AGENT_REFUSED' }.message"))
        .contains(old)
        .contains(forger);
    assertThat(agent(cluster, f.id(ComponentKind.EXECUTOR, "e1")).get("refusal")).isNull();
  }

  @Test
  void anAgentWhoseClockIsAnHourOffIsSeenAndPreflightSaysItsClockIsOff() {
    FakeFleet f =
        fleet("clocks")
            .agent(ComponentKind.EXECUTOR, "ahead")
            .agent(ComponentKind.WORKER, "behind")
            .agent(ComponentKind.WORKER, "on-time");
    String ahead = f.id(ComponentKind.EXECUTOR, "ahead");
    String behind = f.id(ComponentKind.WORKER, "behind");
    f.clockOffset(ahead, Duration.ofHours(1)).clockOffset(behind, Duration.ofHours(-1)).start();
    String cluster = agentCluster(f);
    await().atMost(Duration.ofSeconds(30)).until(() -> agents(cluster).size() == 3);

    // seen over several LOST intervals (0.5 s × 5 in the test profile): never LOST
    for (int i = 0; i < 6; i++) {
      await()
          .pollDelay(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> agents(cluster).stream().noneMatch(a -> Boolean.TRUE.equals(a.get("lost"))));
    }
    assertThat(((Number) agent(cluster, ahead).get("clockOffsetMs")).longValue())
        .isBetween(3_590_000L, 3_610_000L);
    assertThat(((Number) agent(cluster, behind).get("clockOffsetMs")).longValue())
        .isBetween(-3_610_000L, -3_590_000L);
    JsonPath plan = plan(cluster);
    assertThat(plan.getList("findings.code", String.class)).contains("CLOCK_SKEW");
    assertThat(plan.getString("findings.find { it.code == 'CLOCK_SKEW' }.message"))
        .contains(ahead + " (1 h 0 min ahead)")
        .contains(behind + " (1 h 0 min behind)");
  }

  private static String agentCluster(FakeFleet f) {
    return f.id(ComponentKind.EXECUTOR, "x").split("/")[0];
  }
}
