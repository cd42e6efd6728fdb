package io.kestra.upgrade.coordinator.it;

import static io.kestra.upgrade.coordinator.it.Api.agents;
import static io.kestra.upgrade.coordinator.it.Api.awaitCommand;
import static io.kestra.upgrade.coordinator.it.Api.awaitRegistered;
import static io.kestra.upgrade.coordinator.it.Api.awaitState;
import static io.kestra.upgrade.coordinator.it.Api.body;
import static io.kestra.upgrade.coordinator.it.Api.startUpgrade;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.CommandType;
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
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code DELETE /api/v1/agents/{cluster}/{kind}/{instance}}: forgetting a retired agent. */
@QuarkusTest
@TestSecurity(user = "retirement-it", roles = Roles.OPERATOR)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class AgentRetirementIT {

  private final List<FakeFleet> fleets = new ArrayList<>();

  @AfterEach
  void closeFleets() {
    fleets.forEach(FakeFleet::close);
  }

  /** An executor able to back up and migrate, and two workers. */
  private FakeFleet fleet(String cluster) {
    FakeFleet fleet =
        new FakeFleet(TestKafka.bootstrapServers(), Topics.defaults(), cluster)
            .agent(ComponentKind.EXECUTOR, "executor-1", Capability.BACKUP, Capability.MIGRATE)
            .agent(ComponentKind.WORKER, "worker-1")
            .agent(ComponentKind.WORKER, "worker-2");
    fleets.add(fleet);
    return fleet;
  }

  private static ValidatableResponse delete(String agentId) {
    return given().delete("/api/v1/agents/" + agentId).then();
  }

  @Test
  void aForgottenLostAgentNoLongerBlocksItsClustersPreflight() {
    String cluster = Api.cluster("retired");
    FakeFleet fleet = fleet(cluster).start();
    awaitRegistered(cluster, 3);
    String retired = fleet.id(ComponentKind.WORKER, "worker-2");
    fleet.silence(retired);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> agents(cluster).getList("status", String.class).contains("LOST"));
    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "1.0.0"))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", hasItem("AGENT_LOST"))
        .body("message", containsString(retired));

    delete(retired).statusCode(204);

    assertThat(agents(cluster).getList("agentId", String.class))
        .containsExactly(
            fleet.id(ComponentKind.EXECUTOR, "executor-1"),
            fleet.id(ComponentKind.WORKER, "worker-1"));
    String id = startUpgrade(body(cluster, "1.0.0"));
    assertThat(awaitState(id, "SUCCEEDED").getList("steps.agentId", String.class))
        .doesNotContain(retired);
    delete(retired).statusCode(404).body("error", equalTo("NOT_FOUND"));
  }

  @Test
  void anAgentWithAStepInAnUpgradeNotOverIsBusyThenForgottenAndRegisteredAgainByItsHeartbeat() {
    String cluster = Api.cluster("busy");
    FakeFleet fleet = fleet(cluster);
    String worker = fleet.id(ComponentKind.WORKER, "worker-1");
    String other = fleet.id(ComponentKind.WORKER, "worker-2");
    fleet.on(worker, CommandType.PREPARE, FakeFleet.Behaviour.SILENT).start();
    awaitRegistered(cluster, 3);
    String id = startUpgrade(body(cluster, "1.0.0", "\"progressDeadline\":\"PT3S\""));
    awaitCommand(fleet, worker, CommandType.PREPARE);

    delete(worker)
        .statusCode(409)
        .body("error", equalTo("AGENT_BUSY"))
        .body("details", equalTo(List.of(id)))
        .body("message", containsString(worker));
    // a step already done counts too while the upgrade is not over: a rollback may need the agent
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Api.upgrade(id)
                    .getList("steps.findAll { it.agentId == '" + other + "' }.state", String.class)
                    .contains("SUCCEEDED"));
    delete(other).statusCode(409).body("error", equalTo("AGENT_BUSY"));

    awaitState(id, "FAILED");
    // silent until LOST, so that no heartbeat still on its way registers it again under our eyes
    fleet.silence(worker);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                agents(cluster)
                    .getList("findAll { it.agentId == '" + worker + "' }.status", String.class)
                    .contains("LOST"));
    delete(worker).statusCode(204);
    assertThat(agents(cluster).getList("agentId", String.class)).doesNotContain(worker);
    // forgetting is not forbidding: once the agent sends heartbeats again, it is registered again
    fleet.resume(worker);
    awaitRegistered(cluster, 3);
  }

  @Test
  void anUnknownAgentIsNotFoundAndAMalformedIdIsABadRequestNamingThePart() {
    delete("nobody/worker/w1")
        .statusCode(404)
        .body("error", equalTo("NOT_FOUND"))
        .body("message", equalTo("no agent nobody/worker/w1"));
    delete("Prod/worker/w1")
        .statusCode(400)
        .body("error", equalTo("INVALID_REQUEST"))
        .body("message", containsString("cluster 'Prod' must be 1 to 63 lower-case letters"));
    delete("prod/robot/w1")
        .statusCode(400)
        .body("message", containsString("unknown component kind 'robot'"));
    delete("prod/worker/w_1!")
        .statusCode(400)
        .body("details[0]", containsString("instance 'w_1!' must be 1 to 63"));
  }

  @Test
  @TestSecurity(user = "retirement-viewer", roles = Roles.VIEWER)
  void aViewerMayListAgentsButNotForgetOne() {
    String cluster = Api.cluster("viewer");
    FakeFleet fleet = fleet(cluster).start();
    awaitRegistered(cluster, 3);
    String worker = fleet.id(ComponentKind.WORKER, "worker-1");

    delete(worker).statusCode(403).body("error", equalTo("FORBIDDEN"));

    assertThat(agents(cluster).getList("agentId", String.class)).contains(worker);
  }
}
