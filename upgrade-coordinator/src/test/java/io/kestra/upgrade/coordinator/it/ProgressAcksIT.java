package io.kestra.upgrade.coordinator.it;

import static io.kestra.upgrade.coordinator.it.Api.awaitCommand;
import static io.kestra.upgrade.coordinator.it.Api.awaitRegistered;
import static io.kestra.upgrade.coordinator.it.Api.awaitState;
import static io.kestra.upgrade.coordinator.it.Api.body;
import static io.kestra.upgrade.coordinator.it.Api.startUpgrade;
import static io.kestra.upgrade.coordinator.it.Api.upgrade;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.api.Roles;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.kestra.upgrade.testsupport.TestKafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PROGRESS acks against the real broker and PostgreSQL: they leave no trace in the message log, a
 * step publishes only what changes, and neither a replay nor an ack older than the message log's
 * retention changes anything. One worker's PREPARE is left to the test ({@code SILENT} for the
 * fleet), which then speaks for that worker.
 */
@QuarkusTest
@TestSecurity(user = "progress-it", roles = Roles.OPERATOR)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ProgressAcksIT {

  private static final String PROGRESS = "io.kestra.upgrade.step.progress";

  @Inject DataSource dataSource;
  @Inject MeterRegistry registry;

  private FakeFleet fleet;
  private String worker;
  private String upgradeId;
  private Command prepare;

  @BeforeEach
  void upgradeWaitingForOneWorkersPrepare() {
    String cluster = Api.cluster("progress");
    fleet =
        new FakeFleet(TestKafka.bootstrapServers(), Topics.defaults(), cluster)
            .agent(ComponentKind.EXECUTOR, "executor-1", Capability.BACKUP, Capability.MIGRATE)
            .agent(ComponentKind.WORKER, "worker-1");
    worker = fleet.id(ComponentKind.WORKER, "worker-1");
    fleet.on(worker, CommandType.PREPARE, FakeFleet.Behaviour.SILENT).start();
    awaitRegistered(cluster, 2);
    upgradeId = startUpgrade(body(cluster, "1.0.0", "\"progressDeadline\":\"PT20S\""));
    prepare = awaitCommand(fleet, worker, CommandType.PREPARE);
  }

  @AfterEach
  void closeFleet() {
    fleet.close();
  }

  @Test
  void aLongStepReportingEvery50msAddsNoMessageLogRowsAndPublishesOnlyWhatChanges()
      throws Exception {
    Ack accepted = fleet.report(prepare, AckStatus.ACCEPTED, 3, "accepted", Instant.now());
    List<String> progressIds = new ArrayList<>();
    // 3 phases of 40 acks, 50 ms apart (6 s in all, well inside the 30 s interval): the count
    // changes once, the wording once; the seconds counted in the message are no news
    for (int i = 0; i < 120; i++) {
      int inFlight = i < 40 ? 3 : 2;
      String message =
          i < 80
              ? "stopping: "
                  + inFlight
                  + " task run(s) still running; SIGKILL in "
                  + (120 - i)
                  + " s"
              : "killing the server (SIGKILL) after " + i + " s";
      progressIds.add(
          fleet.report(prepare, AckStatus.PROGRESS, inFlight, message, Instant.now()).messageId());
      Thread.sleep(50);
    }
    Ack done = fleet.report(prepare, AckStatus.SUCCEEDED, 0, null, Instant.now());
    // acks of one agent are applied in order: once its PREPARE succeeded, every PROGRESS was seen
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> "SUCCEEDED".equals(prepareStep(upgrade(upgradeId)).get("state")));

    assertThat(loggedAcks(progressIds)).as("PROGRESS acks in the message log").isZero();
    assertThat(loggedAcks(List.of(accepted.messageId(), done.messageId())))
        .as("the ACCEPTED and the final ack are")
        .isEqualTo(2);
    List<Map<String, Object>> progress = progressEventsOfThePrepare();
    assertThat(progress).extracting(e -> e.get("inFlightTasks")).containsExactly(3, 2, 2);
    assertThat(progress)
        .extracting(e -> (String) e.get("message"))
        .containsExactly(
            "stopping: 3 task run(s) still running; SIGKILL in 120 s",
            "stopping: 2 task run(s) still running; SIGKILL in 80 s",
            "killing the server (SIGKILL) after 80 s");
    assertThat(prepareStep(upgrade(upgradeId)))
        .as("the machine's bookkeeping stays out of the API")
        .doesNotContainKeys("lastAckAt", "lastProgressEvent");
  }

  @Test
  void aReplayedProgressAckChangesNothing() throws Exception {
    Instant t0 = Instant.now();
    Ack first = fleet.report(prepare, AckStatus.PROGRESS, 3, "draining", t0);
    fleet.report(prepare, AckStatus.PROGRESS, 2, "draining", t0.plusMillis(5));
    await().atMost(Duration.ofSeconds(30)).until(() -> progressEventsOfThePrepare().size() == 2);
    await().atMost(Duration.ofSeconds(30)).until(Api::acksFullyConsumed);
    Object deadline = prepareStep(upgrade(upgradeId)).get("progressDeadlineAt");

    fleet.replay(first);
    await().atMost(Duration.ofSeconds(30)).until(Api::acksFullyConsumed);

    Map<String, Object> step = prepareStep(upgrade(upgradeId));
    assertThat(step.get("progressDeadlineAt")).as("not pushed by the replay").isEqualTo(deadline);
    assertThat(step.get("inFlightTasks")).isEqualTo(2);
    assertThat(progressEventsOfThePrepare()).hasSize(2);
  }

  @Test
  void anAckOlderThanTheMessageLogRetentionIsIgnoredAndCounted() throws Exception {
    double ignoredBefore = ignoredAcks();
    // a well-signed final ack, sent (by its own clock) 8 days ago: beyond the 7-day message log
    Ack old =
        fleet.report(
            prepare, AckStatus.SUCCEEDED, 0, null, Instant.now().minus(Duration.ofDays(8)));
    // then a current one, applied after it (acks of one agent are applied in order)
    fleet.report(prepare, AckStatus.ACCEPTED, 1, "accepted", Instant.now());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "RUNNING".equals(prepareStep(upgrade(upgradeId)).get("state")));

    assertThat(ignoredAcks() - ignoredBefore).isEqualTo(1.0);
    assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
        .contains("coordinator_acks_ignored_total{reason=\"older-than-message-log\"");
    assertThat(loggedAcks(List.of(old.messageId()))).isZero();
    assertThat(
            upgrade(upgradeId)
                .getList(
                    "events.findAll { it.subject == 'step/" + prepare.stepId() + "' }.type",
                    String.class))
        .as("the step's events: none of the old ack")
        .containsExactly("io.kestra.upgrade.step.sent", "io.kestra.upgrade.step.running");

    fleet.report(prepare, AckStatus.SUCCEEDED, 0, null, Instant.now());
    awaitState(upgradeId, "SUCCEEDED");
  }

  private double ignoredAcks() {
    Counter ignored =
        registry.find("coordinator.acks.ignored").tag("reason", "older-than-message-log").counter();
    return ignored == null ? 0 : ignored.count();
  }

  private Map<String, Object> prepareStep(JsonPath upgrade) {
    return upgrade.getMap("steps.find { it.commandId == '" + prepare.commandId() + "' }");
  }

  private List<Map<String, Object>> progressEventsOfThePrepare() {
    return upgrade(upgradeId, "eventsLimit", 1000)
        .getList(
            "events.findAll { it.type == '"
                + PROGRESS
                + "' && it.subject == 'step/"
                + prepare.stepId()
                + "' }.data");
  }

  private int loggedAcks(List<String> messageIds) throws Exception {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM processed_message WHERE consumer = 'acks'"
                    + " AND message_id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", messageIds.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
