package io.kestra.upgrade.coordinator.it;

import static io.kestra.upgrade.coordinator.db.Rows.setInstant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.messagelog.MessageLog;
import io.kestra.upgrade.coordinator.outbox.OutboxStore;
import io.kestra.upgrade.coordinator.retention.RetentionJob;
import io.kestra.upgrade.coordinator.retention.RetentionPolicy;
import io.kestra.upgrade.coordinator.upgrade.plan.Fleets;
import io.kestra.upgrade.coordinator.upgrade.store.EventHistory;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The retention job against the real PostgreSQL: rows older than their table's retention go, in
 * batches, the recent ones and an upgrade's transitions stay. The rows are written directly, with
 * the ages under test; the job is the application's own stores and transactions, with batches of
 * two rows so that each table takes more than one.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class RetentionIT {

  private static final String TRANSITION = "io.kestra.upgrade.step.succeeded";

  @Inject DataSource dataSource;
  @Inject Tx tx;
  @Inject MessageLog messages;
  @Inject OutboxStore outbox;
  @Inject EventHistory history;
  @Inject Clock clock;
  @Inject MeterRegistry registry;

  private final String marker = UUID.randomUUID().toString();

  @Test
  void rowsOlderThanTheirRetentionArePrunedRecentOnesAndTransitionsKept() throws Exception {
    Instant now = Instant.now();
    Instant weekAndADayAgo = now.minus(Duration.ofDays(8));
    Instant sixDaysAgo = now.minus(Duration.ofDays(6));
    String upgradeId = insertFinishedUpgrade(weekAndADayAgo);
    for (int i = 0; i < 3; i++) {
      insertProcessed(weekAndADayAgo);
      insertEvent(upgradeId, EventHistory.PROGRESS_TYPE, weekAndADayAgo);
      insertOutbox(now.minus(Duration.ofHours(2)));
    }
    String recentMessage = insertProcessed(sixDaysAgo);
    long recentProgress = insertEvent(upgradeId, EventHistory.PROGRESS_TYPE, sixDaysAgo);
    long oldTransition = insertEvent(upgradeId, TRANSITION, weekAndADayAgo);
    long recentOutbox = insertOutbox(now.minus(Duration.ofMinutes(50)));
    double[] before = deletedCounts();

    new RetentionJob(
            tx,
            messages,
            outbox,
            history,
            new RetentionPolicy(Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(7), 2),
            clock,
            registry)
        .prune();

    assertThat(processed()).as("processed_message").containsExactly(recentMessage);
    assertThat(events(upgradeId))
        .as("upgrade_event: the transition, however old, and the recent progress event")
        .containsExactly(recentProgress, oldTransition);
    assertThat(outboxRows()).as("outbox").containsExactly(recentOutbox);
    double[] after = deletedCounts();
    assertThat(after[0] - before[0]).as("processed_message rows counted").isEqualTo(3);
    assertThat(after[1] - before[1]).as("outbox rows counted").isEqualTo(3);
    assertThat(after[2] - before[2]).as("upgrade_event rows counted").isEqualTo(3);
  }

  @Test
  void anUnsentOutboxRowIsNeverPrunedHoweverOld() throws Exception {
    try (Connection c = dataSource.getConnection()) {
      // left uncommitted, so that the relay never sees it
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO outbox (topic, msg_key, payload, headers, created_at)"
                  + " VALUES ('kestra.upgrade.events', ?, ?, '{}'::jsonb, ?) RETURNING id")) {
        ps.setString(1, marker);
        ps.setBytes(2, new byte[] {1});
        setInstant(ps, 3, Instant.now().minus(Duration.ofDays(30)));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
        }
      }
      outbox.deleteSentBefore(c, Instant.now(), 1000);
      try (PreparedStatement ps =
          c.prepareStatement("SELECT count(*) FROM outbox WHERE msg_key = ?")) {
        ps.setString(1, marker);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
      }
      c.rollback();
    }
  }

  @Test
  void rowsDeletedAreCountedPerTableOnTheMetricsEndpoint() {
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("coordinator_retention_deleted_rows_total{table=\"processed_message\"")
        .contains("coordinator_retention_deleted_rows_total{table=\"outbox\"")
        .contains("coordinator_retention_deleted_rows_total{table=\"upgrade_event\"");
  }

  private double[] deletedCounts() {
    return new double[] {deleted("processed_message"), deleted("outbox"), deleted("upgrade_event")};
  }

  private double deleted(String table) {
    Counter counter = registry.find("coordinator.retention.deleted").tag("table", table).counter();
    return counter == null ? 0 : counter.count();
  }

  private String insertFinishedUpgrade(Instant at) throws SQLException {
    String id = UUID.randomUUID().toString();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO upgrade (id, cluster, strategy, state, from_version, to_version,"
                    + " options, created_at, started_at, finished_at, updated_at)"
                    + " VALUES (?::uuid, ?, 'FULL_STOP', 'SUCCEEDED', '0.21.4', '1.0.0', ?::jsonb,"
                    + " ?, ?, ?, ?)")) {
      ps.setString(1, id);
      ps.setString(2, "retention-" + marker.substring(0, 6));
      ps.setString(3, JsonCodec.create().encodeToString(Fleets.defaults()));
      for (int i = 4; i <= 7; i++) {
        setInstant(ps, i, at);
      }
      ps.executeUpdate();
    }
    return id;
  }

  private String insertProcessed(Instant at) throws SQLException {
    String id = UUID.randomUUID().toString();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO processed_message (consumer, message_id, processed_at)"
                    + " VALUES (?, ?, ?)")) {
      ps.setString(1, "retention-" + marker);
      ps.setString(2, id);
      setInstant(ps, 3, at);
      ps.executeUpdate();
    }
    return id;
  }

  private long insertEvent(String upgradeId, String type, Instant at) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO upgrade_event (upgrade_id, message_id, type, subject, data, at)"
                    + " VALUES (?::uuid, ?, ?, 'step/x', '{}'::jsonb, ?) RETURNING seq")) {
      ps.setString(1, upgradeId);
      ps.setString(2, UUID.randomUUID().toString());
      ps.setString(3, type);
      setInstant(ps, 4, at);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private long insertOutbox(Instant sentAt) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO outbox (topic, msg_key, payload, headers, created_at, sent_at)"
                    + " VALUES ('kestra.upgrade.events', ?, ?, '{}'::jsonb, ?, ?) RETURNING id")) {
      ps.setString(1, marker);
      ps.setBytes(2, new byte[] {1});
      setInstant(ps, 3, sentAt.minusMillis(10));
      setInstant(ps, 4, sentAt);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private List<String> processed() throws SQLException {
    return strings(
        "SELECT message_id FROM processed_message WHERE consumer = ? ORDER BY message_id",
        "retention-" + marker);
  }

  private List<Long> events(String upgradeId) throws SQLException {
    return longs(
        "SELECT seq FROM upgrade_event WHERE upgrade_id = ?::uuid ORDER BY seq", upgradeId);
  }

  private List<Long> outboxRows() throws SQLException {
    return longs("SELECT id FROM outbox WHERE msg_key = ? ORDER BY id", marker);
  }

  private List<String> strings(String sql, String param) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  private List<Long> longs(String sql, String param) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out;
  }
}
