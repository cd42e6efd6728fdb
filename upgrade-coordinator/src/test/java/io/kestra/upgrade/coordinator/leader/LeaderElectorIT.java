package io.kestra.upgrade.coordinator.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two leader elections in one JVM against the real PostgreSQL, each with a lock session of its own,
 * as two coordinator instances have them.
 */
class LeaderElectorIT {

  private static final long KEY = 4242;
  private static final Duration RENEW = Duration.ofMillis(200);

  private TestPostgres.Database db;
  private final List<LeaderElector> electors = new ArrayList<>();

  /** What one elector told, in order. */
  private static final class Record implements LeaderElector.Listener {
    final List<String> told = new CopyOnWriteArrayList<>();

    @Override
    public void elected(long epoch) {
      told.add("elected " + epoch);
    }

    @Override
    public void deposed(long epoch, String why) {
      told.add("deposed " + epoch);
    }

    @Override
    public void woken() {
      told.add("woken");
    }
  }

  @BeforeEach
  void database() {
    db = TestPostgres.newDatabase("leader");
    Flyway.configure().dataSource(db.jdbcUrl(), db.user(), db.password()).load().migrate();
  }

  @AfterEach
  void stop() {
    electors.forEach(LeaderElector::close);
  }

  private Connection session(String name, Duration timeout) throws SQLException {
    return LockSession.open(db.jdbcUrl(), db.user(), db.password(), app(name), timeout);
  }

  private static String app(String name) {
    return "leader-it " + name;
  }

  private LeaderElector elector(String name, Record record, Duration sessionTimeout) {
    LeaderElector e =
        new LeaderElector(
            () -> session(name, sessionTimeout),
            KEY,
            name,
            LeaderElection.WAKE_CHANNEL,
            RENEW,
            record);
    electors.add(e);
    e.start();
    return e;
  }

  private Connection plain() throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  private void terminate(String name) throws SQLException {
    try (Connection c = plain();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, app(name));
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("a session of " + name).isTrue();
      }
    }
  }

  private String waitEvent(String name) throws SQLException {
    try (Connection c = plain();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT coalesce(wait_event_type, '') FROM pg_stat_activity"
                    + " WHERE application_name = ? AND state = 'active'")) {
      ps.setString(1, app(name));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "";
      }
    }
  }

  private boolean hasSession(String name) throws SQLException {
    try (Connection c = plain();
        PreparedStatement ps =
            c.prepareStatement("SELECT 1 FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, app(name));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Test
  void oneLeadsAndTheOtherTakesOverWhenTheLeadersSessionIsTerminated() throws Exception {
    Record ra = new Record();
    Record rb = new Record();
    LeaderElector a = elector("a", ra, Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
    long first = a.epoch();
    LeaderElector b = elector("b", rb, Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> hasSession("b"));

    assertThat(b.isLeader()).as("the lock is a's").isFalse();

    terminate("a");

    await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
    await().atMost(Duration.ofSeconds(10)).until(() -> !a.isLeader());
    assertThat(b.epoch()).isEqualTo(first + 1);
    assertThat(ra.told).startsWith("elected " + first, "deposed " + first);
    assertThat(rb.told).containsExactly("elected " + (first + 1));
    assertThat(a.isLeader()).as("a stays a follower while b leads").isFalse();
  }

  @Test
  void aFrozenLeadersSessionIsEndedByTheServerAndTheLockPasses() throws Exception {
    // a leader that stopped renewing: its session holds the lock and says nothing more
    Connection frozen = session("frozen", Duration.ofSeconds(2));
    try (Statement s = frozen.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
      assertThat(rs.next() && rs.getBoolean(1)).isTrue();
    }
    Record rb = new Record();
    LeaderElector b = elector("b", rb, Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> hasSession("b"));
    assertThat(b.isLeader()).isFalse();

    await().atMost(Duration.ofSeconds(20)).until(b::isLeader);

    assertThatThrownBy(
            () -> {
              try (Statement s = frozen.createStatement()) {
                s.execute("SELECT 1");
              }
            })
        .as("the server ended the frozen session")
        .isInstanceOf(SQLException.class);
    frozen.close();
  }

  @Test
  void anOldLeadersTransactionAfterTheNewLeadersBumpIsRefused() throws Exception {
    LeaderElector a = elector("a", new Record(), Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
    long old = a.epoch();
    LeaderElector b = elector("b", new Record(), Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(() -> hasSession("b"));
    terminate("a");
    await().atMost(Duration.ofSeconds(10)).until(b::isLeader);

    try (Connection c = plain()) {
      c.setAutoCommit(false);
      // what a resumes with before it notices: its old epoch
      assertThatThrownBy(() -> Fence.check(c, old))
          .isInstanceOf(NotLeaderException.class)
          .hasMessage("leader epoch " + old + " is over: the leader's epoch is now " + (old + 1));
      c.rollback();
      Fence.check(c, b.epoch());
      c.commit();
    }
  }

  @Test
  void theNewLeadersBumpWaitsForTheOldLeadersTransactionInFlight() throws Exception {
    LeaderElector a = elector("a", new Record(), Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
    long old = a.epoch();
    try (Connection inFlight = plain()) {
      inFlight.setAutoCommit(false);
      Fence.check(inFlight, old);
      try (Statement s = inFlight.createStatement()) {
        s.executeUpdate(
            "INSERT INTO processed_message (consumer, message_id, processed_at)"
                + " VALUES ('leader-it', 'old-leader-write', now())");
      }
      LeaderElector b = elector("b", new Record(), Duration.ofSeconds(5));
      await().atMost(Duration.ofSeconds(10)).until(() -> hasSession("b"));
      terminate("a");

      await().atMost(Duration.ofSeconds(10)).until(() -> waitEvent("b").equals("Lock"));
      assertThat(b.isLeader()).as("b's bump waits for a's transaction").isFalse();

      inFlight.commit();

      await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
      assertThat(b.epoch()).isEqualTo(old + 1);
    }
    try (Connection c = plain();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM processed_message WHERE message_id = 'old-leader-write'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the write in flight before the bump is kept").isEqualTo(1);
    }
  }
}
