package io.kestra.upgrade.coordinator.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.testsupport.TestKafka;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The REST calls and waits the coordinator's integration tests share. */
final class Api {

  private Api() {}

  /** A cluster name of its own for one test: {@code name-xxxxxx}. */
  /** Not started: an executor (BACKUP, MIGRATE), a worker and a webserver of {@code cluster}. */
  static FakeFleet smallFleet(String cluster) {
    return new FakeFleet(
            io.kestra.upgrade.testsupport.TestKafka.bootstrapServers(),
            io.kestra.upgrade.common.Topics.defaults(),
            cluster)
        .agent(
            io.kestra.upgrade.common.ComponentKind.EXECUTOR,
            "executor-1",
            io.kestra.upgrade.common.Capability.BACKUP,
            io.kestra.upgrade.common.Capability.MIGRATE)
        .agent(io.kestra.upgrade.common.ComponentKind.WORKER, "worker-1")
        .agent(io.kestra.upgrade.common.ComponentKind.WEBSERVER, "webserver-1");
  }

  static String cluster(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  /**
   * The JSON body of an upgrade request, with {@code extra} fields as written; the breaking changes
   * acknowledged unless {@code extra} says otherwise.
   */
  static String body(String cluster, String target, String... extra) {
    StringBuilder sb =
        new StringBuilder("{\"cluster\":\"" + cluster + "\",\"targetVersion\":\"" + target + "\"");
    boolean acknowledgementGiven = false;
    for (String e : extra) {
      sb.append(',').append(e);
      acknowledgementGiven |= e.contains("\"acknowledgeBreakingChanges\"");
    }
    if (!acknowledgementGiven) {
      // the shipped catalog lists breaking changes in the releases these tests cross
      sb.append(",\"acknowledgeBreakingChanges\":true");
    }
    return sb.append('}').toString();
  }

  /** Waits until the cluster has {@code agents} agents registered. */
  static void awaitRegistered(String cluster, int agents) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> agents(cluster).getList("agentId").size() == agents);
  }

  /** {@code GET /api/v1/agents?cluster=}. */
  static JsonPath agents(String cluster) {
    return given()
        .queryParam("cluster", cluster)
        .get("/api/v1/agents")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** Starts an upgrade: its id. */
  static String startUpgrade(String json) {
    return given()
        .contentType(ContentType.JSON)
        .body(json)
        .post("/api/v1/upgrades")
        .then()
        .statusCode(202)
        .header("Location", containsString("/api/v1/upgrades/"))
        .extract()
        .path("id");
  }

  /** {@code GET /api/v1/upgrades/{id}}, with query parameters given as name, value, .... */
  static JsonPath upgrade(String id, Object... query) {
    var request = given();
    for (int i = 0; i < query.length; i += 2) {
      request = request.queryParam((String) query[i], query[i + 1]);
    }
    return request.get("/api/v1/upgrades/" + id).then().statusCode(200).extract().jsonPath();
  }

  /** Waits until the upgrade is in {@code state}: the upgrade then. */
  static JsonPath awaitState(String id, String state) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> state.equals(upgrade(id).getString("state")));
    return upgrade(id);
  }

  /** Waits until the fleet has received a command of that type for that agent: the command. */
  static Command awaitCommand(FakeFleet fleet, String agentId, CommandType type) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                fleet.received().stream()
                    .filter(c -> c.agentId().equals(agentId) && c.type() == type)
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** Whether the coordinator has consumed every ack on the topic. */
  static boolean acksFullyConsumed() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets("upgrade-coordinator-acks")
              .partitionsToOffsetAndMetadata()
              .get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      var ends = admin.listOffsets(latest).all().get();
      return !committed.isEmpty()
          && committed.entrySet().stream()
              .allMatch(e -> e.getValue().offset() >= ends.get(e.getKey()).offset());
    }
  }
}
