package io.kestra.upgrade.coordinator.it;

import static io.kestra.upgrade.coordinator.it.Api.awaitRegistered;
import static io.kestra.upgrade.coordinator.it.Api.awaitState;
import static io.kestra.upgrade.coordinator.it.Api.body;
import static io.kestra.upgrade.coordinator.it.Api.cluster;
import static io.kestra.upgrade.coordinator.it.Api.startUpgrade;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operator's controls through the REST API — pause, resume, abort, rollback — against the real
 * coordinator, broker and database; the agents are played by {@link FakeFleet}.
 */
@QuarkusTest
@TestSecurity(user = "alice", roles = Roles.OPERATOR)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class UpgradeControlsIT {

  private final List<FakeFleet> fleets = new ArrayList<>();

  @AfterEach
  void closeFleets() {
    fleets.forEach(FakeFleet::close);
  }

  /** executor (BACKUP, MIGRATE), a worker, a webserver. */
  private FakeFleet fleet(String cluster) {
    FakeFleet fleet =
        new FakeFleet(TestKafka.bootstrapServers(), Topics.defaults(), cluster)
            .agent(ComponentKind.EXECUTOR, "executor-1", Capability.BACKUP, Capability.MIGRATE)
            .agent(ComponentKind.WORKER, "worker-1")
            .agent(ComponentKind.WEBSERVER, "webserver-1");
    fleets.add(fleet);
    return fleet;
  }

  private static ValidatableResponse control(String id, String control, String json) {
    var request = given().contentType(ContentType.JSON);
    if (json != null) {
      request = request.body(json);
    }
    return request.post("/api/v1/upgrades/" + id + "/" + control).then();
  }

  @Test
  void aPauseMidDrainSendsNothingNewUntilResumedAndTheUpgradeSucceeds() {
    String cluster = cluster("pause");
    FakeFleet fleet = fleet(cluster);
    fleet
        .on(fleet.id(ComponentKind.WORKER, "worker-1"), CommandType.STOP, FakeFleet.Behaviour.HOLD)
        .start();
    awaitRegistered(cluster, 3);
    String id = startUpgrade(body(cluster, "1.0.0", "\"progressDeadline\":\"PT5M\""));
    await().atMost(Duration.ofSeconds(60)).until(() -> !fleet.held().isEmpty());

    control(id, "pause", null).statusCode(200).body("state", equalTo("PAUSED"));
    control(id, "pause", null).statusCode(200).body("state", equalTo("PAUSED"));
    int sent = fleet.received().size();
    fleet.release();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Api.upgrade(id)
                    .getList("steps.findAll { it.type == 'STOP' }.state", String.class)
                    .stream()
                    .allMatch("SUCCEEDED"::equals));
    assertThat(fleet.received()).as("nothing new while paused").hasSize(sent);

    control(id, "resume", null).statusCode(200).body("state", equalTo("RUNNING"));

    awaitState(id, "SUCCEEDED");
    assertThat(
            Api.upgrade(id, "eventsLimit", 1000)
                .getList("events.findAll { it.type.startsWith('io.kestra.upgrade.control') }")
                .size())
        .isEqualTo(2);
    control(id, "pause", null)
        .statusCode(409)
        .body("error", equalTo("STATE_CONFLICT"))
        .body("details[0]", equalTo("SUCCEEDED"));
  }

  @Test
  void aSucceededUpgradeIsRolledBackOnlyWithRestoreAndThenRunsThePreviousVersion() {
    String cluster = cluster("undo");
    FakeFleet fleet = fleet(cluster).start();
    awaitRegistered(cluster, 3);
    String id = startUpgrade(body(cluster, "1.0.0"));
    awaitState(id, "SUCCEEDED");

    control(id, "rollback", null)
        .statusCode(409)
        .body("message", containsString("{\"restore\": true}"));
    control(id, "rollback", "{\"restore\":true}")
        .statusCode(200)
        .body("state", equalTo("ROLLING_BACK"))
        .body("message", containsString("drops what was written since"));

    var done = awaitState(id, "ROLLED_BACK");
    assertThat(done.getString("reason")).isEqualTo("ROLLBACK_REQUESTED");
    assertThat(fleet.received())
        .filteredOn(c -> c.type() == CommandType.RESTORE)
        .extracting(
            c -> c.params().get(Command.PARAM_BACKUP_ID),
            c -> c.params().get(Command.PARAM_CHECK_ONLY))
        .as("checked first, then restored")
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("backup-" + cluster, "true"),
            org.assertj.core.groups.Tuple.tuple("backup-" + cluster, null));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Api.agents(cluster).getList("component.version", String.class).stream()
                    .allMatch("0.21.4"::equals));
    control(id, "rollback", "{\"restore\":true}").statusCode(409);
    control(id, "abort", null).statusCode(409);
  }

  @Test
  void anAbortLeavesTheServersAsTheyAreAndSaysSo() {
    String cluster = cluster("abort");
    FakeFleet fleet = fleet(cluster);
    fleet
        .on(fleet.id(ComponentKind.WORKER, "worker-1"), CommandType.STOP, FakeFleet.Behaviour.HOLD)
        .start();
    awaitRegistered(cluster, 3);
    String id = startUpgrade(body(cluster, "1.0.0", "\"progressDeadline\":\"PT5M\""));
    await().atMost(Duration.ofSeconds(60)).until(() -> !fleet.held().isEmpty());

    control(id, "abort", null)
        .statusCode(200)
        .body("state", equalTo("ABORTED"))
        .body("reason", equalTo("ABORTED"))
        .body("message", containsString("aborted by alice; servers: "));
    control(id, "abort", null).statusCode(200).body("state", equalTo("ABORTED"));
    control(id, "resume", null).statusCode(409).body("details[0]", equalTo("ABORTED"));
    control(id, "rollback", null).statusCode(409);
    assertThat(fleet.received()).noneMatch(c -> c.type() == CommandType.BACKUP);
  }

  @Test
  void withThePausePolicyAFailedMigrationWaitsAndResumeTriesItAgain() {
    String cluster = cluster("paused-on-failure");
    FakeFleet fleet = fleet(cluster);
    String executor = fleet.id(ComponentKind.EXECUTOR, "executor-1");
    fleet.on(executor, CommandType.MIGRATE, FakeFleet.Behaviour.FAIL).start();
    awaitRegistered(cluster, 3);
    String id = startUpgrade(body(cluster, "1.0.0", "\"onFailure\":\"PAUSE\""));

    var paused = awaitState(id, "PAUSED");
    assertThat(paused.getString("reason")).isEqualTo("MIGRATION_FAILED");
    assertThat(paused.getList("steps.state", String.class)).doesNotContain("SKIPPED");
    // the operator fixes the cause
    fleet.on(executor, CommandType.MIGRATE, FakeFleet.Behaviour.SUCCEED);
    control(id, "resume", null).statusCode(200).body("state", equalTo("RUNNING"));

    awaitState(id, "SUCCEEDED");
    assertThat(fleet.received())
        .filteredOn(c -> c.type() == CommandType.MIGRATE)
        .extracting(Command::commandId)
        .as("tried again with a new command")
        .hasSize(2)
        .doesNotHaveDuplicates();
  }

  @Test
  void controlsOnNoUpgradeAreNotFoundAndOnAMalformedIdABadRequest() {
    for (String c : List.of("pause", "resume", "abort", "rollback")) {
      control(UUID.randomUUID().toString(), c, null)
          .statusCode(404)
          .body("error", equalTo("NOT_FOUND"));
      control("nope", c, null).statusCode(400).body("message", containsString("not an upgrade id"));
    }
  }
}
