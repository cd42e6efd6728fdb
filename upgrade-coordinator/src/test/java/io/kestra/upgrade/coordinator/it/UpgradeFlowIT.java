package io.kestra.upgrade.coordinator.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.CloudEvents;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.DeadLetterHeaders;
import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.coordinator.api.Roles;
import io.kestra.upgrade.coordinator.inbox.PoisonMessageException;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.kestra.upgrade.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator end to end against the real broker and the real PostgreSQL; the agents are played
 * by {@link FakeFleet} through Kafka.
 */
@QuarkusTest
@TestSecurity(user = "flow-it", roles = Roles.OPERATOR)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class UpgradeFlowIT {

  private final Topics topics = Topics.defaults();
  private final JsonCodec codec = JsonCodec.create();
  private final List<FakeFleet> fleets = new ArrayList<>();

  @AfterEach
  void closeFleets() {
    fleets.forEach(FakeFleet::close);
  }

  private FakeFleet fleet(String cluster) {
    FakeFleet fleet = new FakeFleet(TestKafka.bootstrapServers(), topics, cluster);
    fleets.add(fleet);
    return fleet;
  }

  private static String cluster(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  /** executor (BACKUP, MIGRATE), 2 workers, scheduler, webserver, indexer, all on 0.21.4. */
  private FakeFleet standardFleet(String cluster) {
    return fleet(cluster)
        .agent(ComponentKind.EXECUTOR, "executor-1", Capability.BACKUP, Capability.MIGRATE)
        .agent(ComponentKind.WORKER, "worker-1")
        .agent(ComponentKind.WORKER, "worker-2")
        .agent(ComponentKind.SCHEDULER, "scheduler-1")
        .agent(ComponentKind.WEBSERVER, "webserver-1")
        .agent(ComponentKind.INDEXER, "indexer-1");
  }

  private static void awaitRegistered(String cluster, int agents) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              List<Boolean> ready =
                  given()
                      .queryParam("cluster", cluster)
                      .get("/api/v1/agents")
                      .then()
                      .statusCode(200)
                      .extract()
                      .jsonPath()
                      .getList("component.ready", Boolean.class);
              return ready.size() == agents;
            });
  }

  private static String body(String cluster, String target, String... extra) {
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

  private static String startUpgrade(String json) {
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

  private static JsonPath awaitState(String id, String state) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                state.equals(given().get("/api/v1/upgrades/" + id).then().extract().path("state")));
    return given().get("/api/v1/upgrades/" + id).then().statusCode(200).extract().jsonPath();
  }

  private static int first(List<Command> commands, Predicate<Command> p) {
    for (int i = 0; i < commands.size(); i++) {
      if (p.test(commands.get(i))) {
        return i;
      }
    }
    throw new AssertionError(
        "no such command in " + commands.stream().map(c -> c.type() + " " + c.agentId()).toList());
  }

  private static int last(List<Command> commands, Predicate<Command> p) {
    for (int i = commands.size() - 1; i >= 0; i--) {
      if (p.test(commands.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no such command");
  }

  private static Predicate<Command> is(CommandType type, String kind) {
    return c -> c.type() == type && c.agentId().contains("/" + kind + "/");
  }

  @Test
  void fullStopUpgradeSucceedsInTheGuidesOrder() {
    String cluster = cluster("full");
    FakeFleet fleet = standardFleet(cluster).start();
    awaitRegistered(cluster, 6);

    String id = startUpgrade(body(cluster, "1.0.0"));
    JsonPath upgrade = awaitState(id, "SUCCEEDED");

    assertThat(upgrade.getString("fromVersion")).isEqualTo("0.21.4");
    assertThat(upgrade.getString("toVersion")).isEqualTo("1.0.0");
    assertThat(upgrade.getList("steps.state", String.class)).containsOnly("SUCCEEDED");
    assertThat(upgrade.getString("backupId")).isEqualTo("backup-" + cluster);
    assertThat(upgrade.getMap("$"))
        .as("absent values are left out")
        .doesNotContainKeys("message", "reason", "reasonDescription");
    assertThat(upgrade.getList("steps.type", String.class)).contains("PREPARE", "MIGRATE");
    assertThat(upgrade.getList("phases.phase", String.class))
        .containsExactly(
            "PREPARE",
            "QUIESCE",
            "DRAIN",
            "STOP_INDEXERS",
            "BACKUP",
            "MIGRATE",
            "WEBSERVER",
            "START",
            "VERIFY",
            "FINALIZE");

    List<Command> cmds = fleet.received();
    assertThat(cmds).hasSize(upgrade.getList("steps").size());
    int lastQuiesce =
        Math.max(
            last(cmds, is(CommandType.STOP, "executor")),
            last(cmds, is(CommandType.STOP, "scheduler")));
    assertThat(lastQuiesce)
        .as("executors and scheduler stopped before any worker")
        .isLessThan(first(cmds, is(CommandType.STOP, "worker")));
    assertThat(last(cmds, is(CommandType.STOP, "worker")))
        .as("workers drained before the indexer stops")
        .isLessThan(first(cmds, is(CommandType.STOP, "indexer")));
    assertThat(first(cmds, c -> c.type() == CommandType.BACKUP))
        .as("backup after the drain")
        .isGreaterThan(last(cmds, is(CommandType.STOP, "worker")));
    assertThat(first(cmds, c -> c.type() == CommandType.MIGRATE))
        .as("migrate before the webserver restart")
        .isLessThan(first(cmds, is(CommandType.RESTART, "webserver")));
    assertThat(first(cmds, is(CommandType.RESTART, "webserver")))
        .as("webserver restarted before any worker starts")
        .isLessThan(first(cmds, is(CommandType.START, "worker")));
    int executorStart = first(cmds, is(CommandType.START, "executor"));
    assertThat(
            last(cmds, c -> c.type() == CommandType.START && !c.agentId().contains("/executor/")))
        .as("executors started last")
        .isLessThan(executorStart);
    assertThat(cmds)
        .filteredOn(c -> c.type() == CommandType.START)
        .extracting(Command::targetVersion)
        .containsOnly("1.0.0");
    assertThat(cmds.get(0).params()).containsKey(Command.PARAM_TIMEOUT);
  }

  @Test
  void rollingRestartRestartsOneServerAtATimeOnItsVersionWebserversLast() {
    String cluster = cluster("restart");
    FakeFleet fleet = standardFleet(cluster).agent(ComponentKind.WEBSERVER, "webserver-2").start();
    awaitRegistered(cluster, 7);

    String id =
        startUpgrade(
            body(
                cluster,
                "0.21.4",
                "\"strategy\":\"ROLLING\"",
                "\"restart\":true",
                "\"maxUnavailable\":{\"worker\":2}"));
    JsonPath upgrade = awaitState(id, "SUCCEEDED");

    assertThat(upgrade.getList("phases.phase", String.class))
        .containsExactly("PREPARE", "ROLL", "VERIFY", "FINALIZE");
    assertThat(upgrade.getString("backupId")).as("ROLLING takes no backup by default").isNull();
    List<Command> restarts =
        fleet.received().stream().filter(c -> c.type() == CommandType.RESTART).toList();
    List<String> order =
        restarts.stream().map(c -> c.agentId().substring(cluster.length() + 1)).toList();
    assertThat(order).hasSize(7).startsWith("indexer/indexer-1");
    assertThat(order.subList(1, 3))
        .as("one batch: sent together")
        .containsExactlyInAnyOrder("worker/worker-1", "worker/worker-2");
    assertThat(order.subList(3, 7))
        .containsExactly(
            "scheduler/scheduler-1",
            "executor/executor-1",
            "webserver/webserver-1",
            "webserver/webserver-2");
    assertThat(restarts).extracting(Command::targetVersion).containsOnly("0.21.4");
    List<Integer> groups =
        upgrade.getList("steps.findAll { it.type == 'RESTART' }.group", Integer.class);
    assertThat(groups).hasSize(7);
    assertThat(groups.get(1)).as("the two workers in one batch").isEqualTo(groups.get(2));
    assertThat(groups.stream().distinct().count()).as("every other server alone").isEqualTo(6);
  }

  @Test
  void anAllowedDowngradeIsTheRollbackWithRestoreOfTheLastUpgrade() {
    String cluster = cluster("downgrade");
    FakeFleet fleet = standardFleet(cluster).start();
    awaitRegistered(cluster, 6);
    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "0.20.0", "\"allowDowngrade\":true"))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", equalTo(List.of("DOWNGRADE_NEEDS_BACKUP")));
    String id = startUpgrade(body(cluster, "1.0.0"));
    awaitState(id, "SUCCEEDED");
    awaitRegistered(cluster, 6);

    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "0.21.4"))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", equalTo(List.of("DOWNGRADE")));
    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "0.21.4", "\"allowDowngrade\":true"))
        .post("/api/v1/upgrades/plan")
        .then()
        .statusCode(200)
        .body("executable", equalTo(true))
        .body("restoreOf", equalTo(id))
        .body("steps.size()", equalTo(0))
        .body("findings.code", hasItem("DOWNGRADE_BY_RESTORE"));
    String again = startUpgrade(body(cluster, "0.21.4", "\"allowDowngrade\":true"));

    assertThat(again).as("the downgrade is the last upgrade's rollback").isEqualTo(id);
    JsonPath rolledBack = awaitState(id, "ROLLED_BACK");
    assertThat(rolledBack.getList("phases.phase", String.class))
        .contains("ROLLBACK_CHECK", "ROLLBACK_BACKUP", "RESTORE", "ROLLBACK_START");
    assertThat(fleet.received())
        .filteredOn(c -> c.type() == CommandType.RESTORE)
        .extracting(c -> c.params().get(Command.PARAM_BACKUP_ID))
        .contains("backup-" + cluster);
    assertThat(rolledBack.getString("message")).contains("(a downgrade)");
  }

  @Test
  void theSecondUpgradeIsExpectedToTakeWhatTheFirstTookAndShowsEstimateAgainstActual() {
    String cluster = cluster("estimate");
    standardFleet(cluster).start();
    awaitRegistered(cluster, 6);
    awaitState(startUpgrade(body(cluster, "0.22.0")), "SUCCEEDED");
    awaitRegistered(cluster, 6);

    JsonPath plan =
        given()
            .contentType(ContentType.JSON)
            .body(body(cluster, "1.0.0"))
            .post("/api/v1/upgrades/plan")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(plan.getString("estimate.total.expected")).startsWith("PT");
    assertThat(plan.getList("steps.estimate", String.class)).doesNotContainNull();
    assertThat(plan.getString("estimate.api.expected")).startsWith("PT");
    String id = startUpgrade(body(cluster, "1.0.0"));
    JsonPath upgrade = awaitState(id, "SUCCEEDED");

    List<Map<String, Object>> phases = upgrade.getList("phases");
    assertThat(phases)
        .isNotEmpty()
        .allSatisfy(
            p -> {
              assertThat(p).containsKeys("estimatedMs", "atMostMs", "durationMs");
              assertThat(((Number) p.get("atMostMs")).longValue())
                  .isGreaterThanOrEqualTo(((Number) p.get("durationMs")).longValue());
            });
  }

  @Test
  void aPausePointHoldsTheUpgradeBeforeItsPhaseUntilAnOperatorResumesIt() {
    String cluster = cluster("gate");
    FakeFleet fleet = standardFleet(cluster).start();
    awaitRegistered(cluster, 6);

    String id = startUpgrade(body(cluster, "1.0.0", "\"pauseBefore\":[\"MIGRATE\"]"));
    JsonPath held = awaitState(id, "PAUSED");

    assertThat(held.getList("steps.findAll { it.phase == 'BACKUP' }.state", String.class))
        .containsOnly("SUCCEEDED");
    assertThat(held.getList("steps.findAll { it.phase == 'MIGRATE' }.state", String.class))
        .containsOnly("PENDING");
    assertThat(fleet.received()).noneMatch(c -> c.type() == CommandType.MIGRATE);
    given()
        .contentType(ContentType.JSON)
        .post("/api/v1/upgrades/" + id + "/resume")
        .then()
        .statusCode(200)
        .body("state", equalTo("RUNNING"));
    awaitState(id, "SUCCEEDED");
    assertThat(fleet.received()).filteredOn(c -> c.type() == CommandType.MIGRATE).hasSize(1);
  }

  @Test
  void rollingIsRefusedWhereTheTargetChangesTheSchemaOrTheCatalogCannotTell() {
    String cluster = cluster("rolling");
    standardFleet(cluster).start();
    awaitRegistered(cluster, 6);

    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "0.22.0", "\"strategy\":\"ROLLING\""))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", equalTo(List.of("ROLLING_SCHEMA_CHANGE")))
        .body("message", containsString("the database schema changes in 0.22"))
        .body("message", containsString("use FULL_STOP"));
    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "0.21.5", "\"strategy\":\"ROLLING\""))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", equalTo(List.of("ROLLING_SCHEMA_UNKNOWN")))
        .body("message", containsString("Kestra backports migrations into patch releases"));
    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "0.22.0", "\"minHealthy\":\"PT5S\""))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", equalTo(List.of("OPTION_NEEDS_ROLLING")));
    given()
        .queryParam("cluster", cluster)
        .get("/api/v1/upgrades")
        .then()
        .statusCode(200)
        .body("size()", equalTo(0));
  }

  @Test
  void eventsTopicHoldsTheTransitionsInOrderAsCloudEvents() {
    String cluster = cluster("events");
    standardFleet(cluster).start();
    awaitRegistered(cluster, 6);
    String id = startUpgrade(body(cluster, "1.0.0"));
    JsonPath upgrade = awaitState(id, "SUCCEEDED");

    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    String group = "events-" + UUID.randomUUID();
    try (KafkaConsumer<String, byte[]> c =
        KafkaClients.consumer(TestKafka.bootstrapServers(), group, group, "earliest")) {
      c.subscribe(List.of(topics.events()));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                  if (id.equals(r.key())) {
                    records.add(r);
                  }
                }
                return !records.isEmpty()
                    && header(records.get(records.size() - 1), CloudEvents.HEADER_TYPE)
                        .equals("io.kestra.upgrade.upgrade.succeeded");
              });
    }
    List<String> types = records.stream().map(r -> header(r, CloudEvents.HEADER_TYPE)).toList();
    assertThat(types).first().isEqualTo("io.kestra.upgrade.upgrade.pending");
    assertThat(types)
        .contains(
            "io.kestra.upgrade.upgrade.running",
            "io.kestra.upgrade.phase.started",
            "io.kestra.upgrade.step.sent",
            "io.kestra.upgrade.step.running",
            "io.kestra.upgrade.step.succeeded",
            "io.kestra.upgrade.phase.succeeded");
    assertThat(types)
        .filteredOn("io.kestra.upgrade.step.succeeded"::equals)
        .hasSize(upgrade.getList("steps").size());
    // the same events, in the same order, as the upgrade's history
    assertThat(types).containsExactlyElementsOf(upgrade.getList("events.type", String.class));

    List<String> phasesStarted = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      assertThat(header(r, CloudEvents.HEADER_SPECVERSION)).isEqualTo("1.0");
      assertThat(header(r, CloudEvents.HEADER_SOURCE)).isEqualTo("/kestra-upgrade-coordinator");
      assertThat(header(r, CloudEvents.HEADER_TIME)).isNotBlank();
      UpgradeEvent event =
          ((Decoded.Ok<UpgradeEvent>) codec.decode(r.value(), UpgradeEvent.class)).value();
      assertThat(header(r, CloudEvents.HEADER_ID)).isEqualTo(event.messageId());
      assertThat(header(r, CloudEvents.HEADER_SUBJECT)).isEqualTo(event.subject());
      if (event.type().equals("io.kestra.upgrade.phase.started")) {
        phasesStarted.add(event.phase().name());
      }
    }
    assertThat(phasesStarted)
        .containsExactly(
            "PREFLIGHT",
            "PREPARE",
            "QUIESCE",
            "DRAIN",
            "STOP_INDEXERS",
            "BACKUP",
            "MIGRATE",
            "WEBSERVER",
            "START",
            "VERIFY",
            "FINALIZE");
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void aFailedMigrationIsRolledBackByRestoringTheBackupAfterASecondOne() {
    String cluster = cluster("fail");
    FakeFleet fleet = standardFleet(cluster);
    String executor = fleet.id(ComponentKind.EXECUTOR, "executor-1");
    fleet.on(executor, CommandType.MIGRATE, FakeFleet.Behaviour.FAIL).start();
    awaitRegistered(cluster, 6);

    JsonPath upgrade = awaitState(startUpgrade(body(cluster, "1.0.0")), "ROLLED_BACK");

    assertThat(upgrade.getString("reason")).isEqualTo("MIGRATION_FAILED");
    assertThat(upgrade.getString("message"))
        .startsWith("rolled back to 0.21.4 after: MIGRATE on " + executor + " failed")
        .contains("checksum mismatch");
    assertThat(upgrade.getList("steps.findAll { it.type == 'RESTART' }.state", String.class))
        .containsOnly("SKIPPED");
    assertThat(upgrade.getList("phases.phase", String.class))
        .endsWith(
            "ROLLBACK_CHECK",
            "ROLLBACK_STOP",
            "ROLLBACK_BACKUP",
            "RESTORE",
            "ROLLBACK_START",
            "ROLLBACK_VERIFY");
    assertThat(fleet.received())
        .as("nothing ever started on the target")
        .noneMatch(
            c ->
                (c.type() == CommandType.RESTART || c.type() == CommandType.START)
                    && "1.0.0".equals(c.targetVersion()));
    assertThat(fleet.received())
        .filteredOn(
            c ->
                c.type() == CommandType.RESTORE
                    && !c.params().containsKey(Command.PARAM_CHECK_ONLY))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.params().get(Command.PARAM_BACKUP_ID))
                    .as("the first backup, taken before the migration")
                    .isEqualTo("backup-" + cluster));
    assertThat(fleet.received())
        .filteredOn(c -> c.type() == CommandType.START)
        .extracting(Command::targetVersion)
        .hasSize(6)
        .containsOnly("0.21.4");
    assertThat(
            Api.upgrade(upgrade.getString("id"), "eventsLimit", 1000)
                .getList("events.type", String.class))
        .containsSubsequence(
            "io.kestra.upgrade.upgrade.rolling_back",
            "io.kestra.upgrade.rollback.started",
            "io.kestra.upgrade.rollback.succeeded",
            "io.kestra.upgrade.upgrade.rolled_back");
  }

  @Test
  void agentNeverAnsweringTimesOutAndEndsTheUpgradeFailed() {
    String cluster = cluster("silent");
    FakeFleet fleet = standardFleet(cluster);
    fleet
        .on(
            fleet.id(ComponentKind.WORKER, "worker-2"),
            CommandType.STOP,
            FakeFleet.Behaviour.SILENT)
        .start();
    awaitRegistered(cluster, 6);

    JsonPath upgrade =
        awaitState(
            startUpgrade(
                body(cluster, "1.0.0", "\"progressDeadline\":\"PT2S\"", "\"onFailure\":\"FAIL\"")),
            "FAILED");

    assertThat(upgrade.getString("reason")).isEqualTo("NO_PROGRESS");
    assertThat(upgrade.getString("message"))
        .contains("STOP on " + cluster + "/worker/worker-2 timed out");
    assertThat(
            upgrade.getList(
                "steps.findAll { it.agentId.endsWith('worker-2') && it.type == 'STOP' }.state",
                String.class))
        .containsExactly("TIMED_OUT");
  }

  @Test
  void secondUpgradeOfTheSameClusterIsAConflict() {
    String cluster = cluster("conflict");
    FakeFleet fleet = standardFleet(cluster);
    fleet
        .on(
            fleet.id(ComponentKind.WORKER, "worker-1"),
            CommandType.PREPARE,
            FakeFleet.Behaviour.SILENT)
        .start();
    awaitRegistered(cluster, 6);
    String first = startUpgrade(body(cluster, "1.0.0", "\"progressDeadline\":\"PT3S\""));

    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "1.0.0"))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(409)
        .body("error", equalTo("UPGRADE_ACTIVE"))
        .body("details", hasItem(first));
    awaitState(first, "FAILED");
  }

  @Test
  void badInputIsRefusedWithTheFieldNamed() {
    refused(
        "/api/v1/upgrades", body("prod", "v1.0"), "targetVersion: 'v1.0' is not a Kestra version");
    refused("/api/v1/upgrades/plan", body("prod", "1.0.0;reboot"), "targetVersion");
    refused(
        "/api/v1/upgrades",
        body("prod", "1.0.0", "\"strategy\":\"BLUE_GREEN\""),
        "strategy: 'BLUE_GREEN' is not one of [FULL_STOP, ROLLING]");
    refused(
        "/api/v1/upgrades",
        body("prod", "1.0.0", "\"gracePeriod\":\"5 minutes\""),
        "gracePeriod: '5 minutes' is not an ISO-8601 duration");
    refused(
        "/api/v1/upgrades",
        body("prod", "1.0.0", "\"gracePeriode\":\"PT5M\""),
        "gracePeriode: unknown field");
    refused("/api/v1/upgrades", body("prod", "1.0.0", "\"backup\":\"yes please\""), "backup");
    refused("/api/v1/upgrades", "{\"targetVersion\":", "not valid JSON");
    refused("/api/v1/upgrades", "{}", "cluster: required; targetVersion: required");
    given()
        .get("/api/v1/upgrades/not-a-uuid")
        .then()
        .statusCode(400)
        .body("message", containsString("is not an upgrade id"));
    given()
        .get("/api/v1/upgrades/" + UUID.randomUUID())
        .then()
        .statusCode(404)
        .body("error", equalTo("NOT_FOUND"));
  }

  private static void refused(String path, String json, String messageFragment) {
    given()
        .contentType(ContentType.JSON)
        .body(json)
        .post(path)
        .then()
        .statusCode(400)
        .body("error", equalTo("INVALID_REQUEST"))
        .body("message", containsString(messageFragment));
  }

  @Test
  void downgradeNotReadyAgentAndEmptyClusterAreRefusedByPreflight() {
    String cluster = cluster("preflight");
    FakeFleet fleet = standardFleet(cluster);
    fleet.notReady(fleet.id(ComponentKind.WORKER, "worker-2")).start();
    awaitRegistered(cluster, 6);

    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "0.20.0"))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("error", equalTo("PREFLIGHT_REFUSED"))
        .body("details.code", hasItem("DOWNGRADE"))
        .body("details.code", hasItem("AGENT_NOT_READY"))
        .body("message", containsString(cluster + "/worker/worker-2"));
    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "1.0.0"))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", equalTo(List.of("AGENT_NOT_READY")));
    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "1.0.0", "\"acknowledgeBreakingChanges\":false"))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", hasItem("BREAKING_CHANGES"))
        .body("message", containsString("set acknowledgeBreakingChanges=true"))
        .body("message", containsString("https://kestra.io/docs/migration-guide/"));
    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "1.0.0", "\"backup\":false"))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", hasItem("ROLLBACK_NEEDS_BACKUP"));
    given()
        .contentType(ContentType.JSON)
        .body(body("nobody-here", "1.0.0"))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", equalTo(List.of("NO_AGENTS")));
    given()
        .queryParam("cluster", cluster)
        .get("/api/v1/upgrades")
        .then()
        .statusCode(200)
        .body("size()", equalTo(0));
  }

  @Test
  void planShowsTheStepsAndExecutesNothing() {
    String cluster = cluster("plan");
    FakeFleet fleet = standardFleet(cluster).start();
    awaitRegistered(cluster, 6);
    JsonPath plan =
        given()
            .contentType(ContentType.JSON)
            .body(body(cluster, "1.0.0"))
            .post("/api/v1/upgrades/plan")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(plan.getBoolean("executable")).isTrue();
    assertThat(plan.getList("steps")).hasSize(31);
    assertThat(plan.getString("steps[0].timeout")).isEqualTo("PT5M");
    assertThat(plan.getList("findings.code", String.class)).contains("BACKUP_BY", "MIGRATE_BY");
    assertThat(plan.getString("estimate.total.atMost")).startsWith("PT");
    assertThat(plan.getString("estimate.total.expected"))
        .as("a cluster never upgraded: nothing measured to expect")
        .isNull();
    assertThat(plan.getList("estimate.servers.agentId", String.class)).hasSize(6);
    assertThat(fleet.received()).isEmpty();
    given()
        .queryParam("cluster", cluster)
        .get("/api/v1/upgrades")
        .then()
        .body("size()", equalTo(0));
  }

  @Test
  void repeatedAcksAreAppliedOnceAndNoCommandIsSentTwice() {
    String cluster = cluster("dup");
    FakeFleet fleet = standardFleet(cluster).duplicateAcks().start();
    awaitRegistered(cluster, 6);

    JsonPath upgrade = awaitState(startUpgrade(body(cluster, "1.0.0")), "SUCCEEDED");

    List<Command> cmds = fleet.received();
    assertThat(cmds).extracting(Command::stepId).doesNotHaveDuplicates();
    assertThat(cmds).hasSize(upgrade.getList("steps").size());
    assertThat(fleet.redelivered()).isEmpty();
    assertThat(upgrade.getList("events.type", String.class))
        .filteredOn("io.kestra.upgrade.step.succeeded"::equals)
        .hasSize(cmds.size());
  }

  @Inject DataSource dataSource;

  @Test
  void commandsRepublishedByTheRelayMidUpgradeAreRecognisedAndChangeNothing() throws Exception {
    String cluster = cluster("relay");
    FakeFleet fleet = standardFleet(cluster);
    fleet
        .on(
            fleet.id(ComponentKind.WEBSERVER, "webserver-1"),
            CommandType.RESTART,
            FakeFleet.Behaviour.HOLD)
        .start();
    awaitRegistered(cluster, 6);
    String id = startUpgrade(body(cluster, "1.0.0", "\"progressDeadline\":\"PT5M\""));
    await().atMost(Duration.ofSeconds(60)).until(() -> !fleet.held().isEmpty());
    JsonPath before = given().get("/api/v1/upgrades/" + id).then().extract().jsonPath();

    // what a relay crash between publishing and marking rows sent leaves behind
    int republished;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE outbox SET sent_at = NULL WHERE topic = ? AND upgrade_id = ?::uuid"
                    + " AND convert_from(payload, 'UTF8')::jsonb->>'commandId' IN"
                    + " (SELECT command_id::text FROM upgrade_step WHERE upgrade_id = ?::uuid"
                    + " AND state = 'SUCCEEDED')")) {
      ps.setString(1, topics.commands());
      ps.setString(2, id);
      ps.setString(3, id);
      republished = ps.executeUpdate();
    }
    assertThat(republished)
        .isEqualTo(before.getList("steps.findAll { it.state == 'SUCCEEDED' }").size())
        .isGreaterThan(10);
    await().atMost(Duration.ofSeconds(30)).until(() -> fleet.redelivered().size() == republished);
    // the agents' repeated answers are on the topic: wait until the coordinator consumed them all
    await().atMost(Duration.ofSeconds(30)).until(this::acksFullyConsumed);

    JsonPath after = given().get("/api/v1/upgrades/" + id).then().extract().jsonPath();
    assertThat(after.getString("state")).isEqualTo("RUNNING");
    assertThat(after.getList("steps.state")).isEqualTo(before.getList("steps.state"));
    assertThat(after.getList("events")).hasSameSizeAs(before.getList("events"));

    fleet.release();
    JsonPath done = awaitState(id, "SUCCEEDED");
    assertThat(fleet.received()).hasSize(done.getList("steps").size());
  }

  @Test
  void commandsOfAnUpgradeThatEndedAreDroppedNotSent() throws Exception {
    String cluster = cluster("ended");
    FakeFleet fleet = standardFleet(cluster).start();
    awaitRegistered(cluster, 6);
    String id = startUpgrade(body(cluster, "1.0.0"));
    JsonPath before = awaitState(id, "SUCCEEDED");

    int pending;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE outbox SET sent_at = NULL WHERE topic = ? AND upgrade_id = ?::uuid")) {
      ps.setString(1, topics.commands());
      ps.setString(2, id);
      pending = ps.executeUpdate();
    }
    assertThat(pending).isEqualTo(before.getList("steps").size());

    await().atMost(Duration.ofSeconds(30)).until(() -> droppedCommands(id) == pending);
    assertThat(droppedReasons(id))
        .allSatisfy(r -> assertThat(r).startsWith("its upgrade " + id + " ended at "));
    // rows behind them are published: a new upgrade's commands reach the agents
    FakeFleet other = standardFleet(cluster("after-ended")).start();
    awaitRegistered(other.cluster(), 6);
    awaitState(startUpgrade(body(other.cluster(), "1.0.0")), "SUCCEEDED");
    assertThat(fleet.redelivered()).as("no dropped command reached an agent").isEmpty();
    assertThat(fleet.received()).hasSize(pending);
  }

  private int droppedCommands(String upgradeId) throws Exception {
    return droppedReasons(upgradeId).size();
  }

  private List<String> droppedReasons(String upgradeId) throws Exception {
    List<String> reasons = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT reason FROM outbox WHERE upgrade_id = ?::uuid AND dropped_at IS NOT NULL"
                    + " AND sent_at IS NULL")) {
      ps.setString(1, upgradeId);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          reasons.add(rs.getString(1));
        }
      }
    }
    return reasons;
  }

  private boolean acksFullyConsumed() throws Exception {
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

  @Test
  void silentAgentIsListedAsLost() {
    String cluster = cluster("lost");
    FakeFleet fleet =
        fleet(cluster).agent(ComponentKind.STANDALONE, "kestra", Capability.BACKUP).start();
    awaitRegistered(cluster, 1);
    given()
        .queryParam("cluster", cluster)
        .get("/api/v1/agents")
        .then()
        .body("[0].status", equalTo("RUNNING"))
        .body("[0].lost", equalTo(false))
        .body("[0].component.version", equalTo("0.21.4"))
        .body("[0].component.ready", equalTo(true))
        .body("[0].lastSeen", org.hamcrest.Matchers.notNullValue());
    fleet.silence(fleet.id(ComponentKind.STANDALONE, "kestra"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                "LOST"
                    .equals(
                        given()
                            .queryParam("cluster", cluster)
                            .get("/api/v1/agents")
                            .then()
                            .extract()
                            .path("[0].status")));
    given()
        .contentType(ContentType.JSON)
        .body(body(cluster, "1.0.0", "\"migration\":\"AUTO\""))
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("details.code", hasItem("AGENT_LOST"));
  }

  @Test
  void healthMetricsAndOpenApiAreServed() {
    given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"));
    given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/upgrades"));
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    // the channels' own counters, and the Kafka clients' metrics
    assertThat(metrics.lines().filter(l -> l.startsWith("quarkus_messaging")).toList())
        .anySatisfy(l -> assertThat(l).contains("channel=\"acks\""))
        .anySatisfy(l -> assertThat(l).contains("channel=\"heartbeats\""));
    assertThat(metrics)
        .contains("kafka_consumer_fetch_manager_records_consumed_total")
        .contains("kafka_producer_record_send_total");
  }

  @Test
  void poisonRecordsAreSetAsideWithTheirReasonAndTheConsumersMoveOn() throws Exception {
    String cluster = cluster("poison");
    String agent = cluster + "/worker/w1";
    String marker = UUID.randomUUID().toString();
    try (KafkaProducer<String, byte[]> producer =
        KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "poison-" + marker)) {
      // not JSON at all
      send(
          producer, topics.acks(), agent, ("{not json " + marker).getBytes(StandardCharsets.UTF_8));
      // a heartbeat claiming to come from another agent than its key
      send(producer, topics.heartbeats(), cluster + "/worker/w2", heartbeat(agent, marker));
      // well-formed JSON, but naming a command id that is no UUID: refused at decode time
      send(producer, topics.acks(), agent, ackOfCommand(agent, "x-" + marker));
    }
    // the consumers went on: a fleet started afterwards is registered
    FakeFleet fleet = fleet(cluster).agent(ComponentKind.WORKER, "w3").start();
    awaitRegistered(cluster, 1);

    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    String group = "dead-" + marker;
    try (KafkaConsumer<String, byte[]> c =
        KafkaClients.consumer(TestKafka.bootstrapServers(), group, group, "earliest")) {
      c.subscribe(List.of(topics.deadLetter()));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                  if (new String(r.value(), StandardCharsets.UTF_8).contains(marker)) {
                    dead.add(r);
                  }
                }
                return dead.size() == 3;
              });
    }
    assertThat(dead)
        .allSatisfy(
            r -> {
              assertThat(header(r, DeadLetterHeaders.PARTITION)).matches("\\d+");
              assertThat(header(r, DeadLetterHeaders.OFFSET)).matches("\\d+");
            });
    ConsumerRecord<String, byte[]> notJson = deadHolding(dead, "{not json");
    assertThat(header(notJson, DeadLetterHeaders.TOPIC)).isEqualTo(topics.acks());
    assertThat(header(notJson, DeadLetterHeaders.REASON)).startsWith("not a valid Ack: ");
    assertThat(header(notJson, DeadLetterHeaders.EXCEPTION_CLASS))
        .isEqualTo(PoisonMessageException.class.getName());
    ConsumerRecord<String, byte[]> impostor = deadHolding(dead, "\"messageId\":\"" + marker);
    assertThat(header(impostor, DeadLetterHeaders.TOPIC)).isEqualTo(topics.heartbeats());
    assertThat(header(impostor, DeadLetterHeaders.REASON))
        .isEqualTo(
            "record key '"
                + cluster
                + "/worker/w2' differs from the message's agentId '"
                + agent
                + "'");
    ConsumerRecord<String, byte[]> unstorable = deadHolding(dead, "x-" + marker);
    assertThat(header(unstorable, DeadLetterHeaders.TOPIC)).isEqualTo(topics.acks());
    assertThat(header(unstorable, DeadLetterHeaders.REASON))
        .isEqualTo("not a valid Ack: commandId: 'x-" + marker + "' is not a UUID");
    assertThat(header(unstorable, DeadLetterHeaders.EXCEPTION_CLASS))
        .isEqualTo(PoisonMessageException.class.getName());
    fleet.close();
  }

  private static ConsumerRecord<String, byte[]> deadHolding(
      List<ConsumerRecord<String, byte[]>> dead, String text) {
    return dead.stream()
        .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no dead letter holds " + text));
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  private byte[] heartbeat(String agentId, String marker) {
    AgentId id = AgentId.parse(agentId);
    return codec.encode(
        new Heartbeat(
            Message.SCHEMA_VERSION,
            marker,
            agentId,
            id.cluster(),
            id.kind(),
            id.instance(),
            "test",
            "fake",
            Set.of(),
            new Observed("0.21.4", ComponentState.RUNNING, true, 0),
            null,
            null,
            Instant.now()));
  }

  private byte[] ackOfCommand(String agentId, String commandId) {
    return codec.encode(
        new Ack(
            Message.SCHEMA_VERSION,
            UUID.randomUUID().toString(),
            commandId,
            agentId,
            AckStatus.SUCCEEDED,
            null,
            null,
            Observed.unknown(),
            Map.of(),
            Instant.now()));
  }
}
