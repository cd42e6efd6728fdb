package io.kestra.upgrade.coordinator.upgrade;

import static io.kestra.upgrade.coordinator.db.Rows.instant;
import static io.kestra.upgrade.coordinator.db.Rows.integer;
import static io.kestra.upgrade.coordinator.db.Rows.setInstant;
import static io.kestra.upgrade.coordinator.db.Rows.setUuid;
import static io.kestra.upgrade.coordinator.db.Rows.uuid;

import com.fasterxml.jackson.core.type.TypeReference;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads and writes upgrades and their steps. Every method runs in the caller's transaction. */
@ApplicationScoped
public class UpgradeStore {

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final String ACTIVE = "('PENDING','RUNNING','PAUSED','ROLLING_BACK')";

  private final JsonCodec codec;

  public UpgradeStore(JsonCodec codec) {
    this.codec = codec;
  }

  /**
   * Inserts a new upgrade and its steps; a second active upgrade of the cluster violates a unique
   * index.
   */
  public void insert(Connection c, UpgradeRun run, Instant now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO upgrade (id, cluster, strategy, state, from_version, to_version, options,"
                + " created_at, updated_at) VALUES (?,?,?,?,?,?,?::jsonb,?,?)")) {
      setUuid(ps, 1, run.id());
      ps.setString(2, run.cluster());
      ps.setString(3, run.strategy().name());
      ps.setString(4, run.state().name());
      ps.setString(5, run.fromVersion());
      ps.setString(6, run.toVersion());
      ps.setString(7, codec.encodeToString(run.options()));
      setInstant(ps, 8, run.createdAt());
      setInstant(ps, 9, now);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO upgrade_step (id, upgrade_id, seq, phase, grp, agent_id, command_type,"
                + " target_version, params, timeout_ms, state) VALUES (?,?,?,?,?,?,?,?,?::jsonb,?,?)")) {
      for (StepRun s : run.steps()) {
        setUuid(ps, 1, s.id());
        setUuid(ps, 2, run.id());
        ps.setInt(3, s.seq());
        ps.setString(4, s.phase().name());
        ps.setInt(5, s.group());
        ps.setString(6, s.agentId());
        ps.setString(7, s.type().name());
        ps.setString(8, s.targetVersion());
        ps.setString(9, codec.encodeToString(s.params()));
        ps.setLong(10, s.timeout().toMillis());
        ps.setString(11, s.state().name());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Writes what changed in the upgrade and its steps. */
  public void save(Connection c, UpgradeRun run, Instant now) throws SQLException {
    if (run.isDirty()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE upgrade SET state=?, started_at=?, finished_at=?, reason=?, message=?, backup_id=?,"
                  + " updated_at=? WHERE id=?")) {
        ps.setString(1, run.state().name());
        setInstant(ps, 2, run.startedAt());
        setInstant(ps, 3, run.finishedAt());
        ps.setString(4, run.reason() == null ? null : run.reason().name());
        ps.setString(5, run.message());
        ps.setString(6, run.backupId());
        setInstant(ps, 7, now);
        setUuid(ps, 8, run.id());
        ps.executeUpdate();
      }
      run.clean();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE upgrade_step SET state=?, command_id=?, sent_at=?, started_at=?, finished_at=?,"
                + " deadline_at=?, progress_deadline_at=?, reason=?, message=?, in_flight_tasks=?,"
                + " observed=?::jsonb, result=?::jsonb WHERE id=?")) {
      int n = 0;
      for (StepRun s : run.steps()) {
        if (!s.isDirty()) {
          continue;
        }
        ps.setString(1, s.state().name());
        setUuid(ps, 2, s.commandId());
        setInstant(ps, 3, s.sentAt());
        setInstant(ps, 4, s.startedAt());
        setInstant(ps, 5, s.finishedAt());
        setInstant(ps, 6, s.deadlineAt());
        setInstant(ps, 7, s.progressDeadlineAt());
        ps.setString(8, s.reason() == null ? null : s.reason().name());
        ps.setString(9, s.message());
        ps.setObject(10, s.inFlightTasks());
        ps.setString(11, s.observed() == null ? null : codec.encodeToString(s.observed()));
        ps.setString(12, codec.encodeToString(s.result()));
        setUuid(ps, 13, s.id());
        ps.addBatch();
        n++;
        s.clean();
      }
      if (n > 0) {
        ps.executeBatch();
      }
    }
  }

  /** Loads an upgrade, locking its row until the transaction ends. */
  public Optional<UpgradeRun> lock(Connection c, String id) throws SQLException {
    return load(c, id, true);
  }

  /** Loads an upgrade without locking it. */
  public Optional<UpgradeRun> find(Connection c, String id) throws SQLException {
    return load(c, id, false);
  }

  /** The upgrade whose step carries {@code commandId}. */
  public Optional<String> upgradeOfCommand(Connection c, String commandId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT upgrade_id FROM upgrade_step WHERE command_id=?")) {
      setUuid(ps, 1, commandId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(uuid(rs, "upgrade_id")) : Optional.empty();
      }
    }
  }

  /** The upgrade of the cluster that is not over, if any. */
  public Optional<String> activeUpgradeOf(Connection c, String cluster) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM upgrade WHERE cluster=? AND state IN " + ACTIVE)) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(uuid(rs, "id")) : Optional.empty();
      }
    }
  }

  /** Upgrades that have a command out. */
  public List<String> withStepsInFlight(Connection c) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT upgrade_id FROM upgrade_step WHERE state IN ('SENT','RUNNING')");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(uuid(rs, "upgrade_id"));
      }
    }
    return ids;
  }

  /** Upgrades, newest first, optionally of one cluster; their steps are read in one query. */
  public List<UpgradeRun> list(Connection c, String cluster, int limit) throws SQLException {
    List<Header> headers = new ArrayList<>();
    String sql =
        "SELECT * FROM upgrade"
            + (cluster == null ? "" : " WHERE cluster=?")
            + " ORDER BY created_at DESC LIMIT ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (cluster != null) {
        ps.setString(i++, cluster);
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          headers.add(header(rs));
        }
      }
    }
    Map<String, List<StepRun>> steps = steps(c, headers.stream().map(Header::id).toList());
    return headers.stream().map(h -> h.with(steps.getOrDefault(h.id(), List.of()))).toList();
  }

  /**
   * A recorded event of an upgrade.
   *
   * @param type CloudEvent type
   * @param subject what changed
   * @param at when
   * @param data the event's JSON
   */
  public record EventRow(String type, String subject, Instant at, String data) {}

  /** The events of an upgrade, in the order they happened. */
  public List<EventRow> events(Connection c, String upgradeId) throws SQLException {
    List<EventRow> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT type, subject, at, data FROM upgrade_event WHERE upgrade_id=? ORDER BY seq")) {
      setUuid(ps, 1, upgradeId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new EventRow(
                  rs.getString("type"),
                  rs.getString("subject"),
                  instant(rs, "at"),
                  rs.getString("data")));
        }
      }
    }
    return out;
  }

  private Optional<UpgradeRun> load(Connection c, String id, boolean forUpdate)
      throws SQLException {
    // the upgrade's row first, locked: steps read before the lock is granted could be stale by then
    Header header;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT * FROM upgrade WHERE id=?" + (forUpdate ? " FOR UPDATE" : ""))) {
      setUuid(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        header = header(rs);
      }
    }
    return Optional.of(header.with(steps(c, List.of(id)).getOrDefault(id, List.of())));
  }

  /** An upgrade's own row. */
  private record Header(
      String id,
      String cluster,
      Strategy strategy,
      String fromVersion,
      String toVersion,
      UpgradeOptions options,
      Instant createdAt,
      UpgradeState state,
      Instant startedAt,
      Instant finishedAt,
      FailureReason reason,
      String message,
      String backupId) {

    UpgradeRun with(List<StepRun> steps) {
      return new UpgradeRun(
              id, cluster, strategy, fromVersion, toVersion, options, createdAt, state, steps)
          .restore(startedAt, finishedAt, reason, message, backupId);
    }
  }

  private Header header(ResultSet rs) throws SQLException {
    return new Header(
        uuid(rs, "id"),
        rs.getString("cluster"),
        Strategy.valueOf(rs.getString("strategy")),
        rs.getString("from_version"),
        rs.getString("to_version"),
        codec.read(rs.getString("options"), UpgradeOptions.class),
        instant(rs, "created_at"),
        UpgradeState.valueOf(rs.getString("state")),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        reason(rs.getString("reason")),
        rs.getString("message"),
        rs.getString("backup_id"));
  }

  /** The steps of each upgrade, in order. */
  private Map<String, List<StepRun>> steps(Connection c, List<String> upgradeIds)
      throws SQLException {
    Map<String, List<StepRun>> steps = new HashMap<>();
    if (upgradeIds.isEmpty()) {
      return steps;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT * FROM upgrade_step WHERE upgrade_id = ANY (?) ORDER BY upgrade_id, seq")) {
      ps.setArray(1, c.createArrayOf("uuid", upgradeIds.stream().map(UUID::fromString).toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          StepRun step =
              new StepRun(
                  uuid(rs, "id"),
                  rs.getInt("seq"),
                  Phase.valueOf(rs.getString("phase")),
                  rs.getInt("grp"),
                  rs.getString("agent_id"),
                  CommandType.valueOf(rs.getString("command_type")),
                  rs.getString("target_version"),
                  map(rs.getString("params")),
                  Duration.ofMillis(rs.getLong("timeout_ms")),
                  StepState.valueOf(rs.getString("state")));
          String observed = rs.getString("observed");
          steps
              .computeIfAbsent(uuid(rs, "upgrade_id"), k -> new ArrayList<>())
              .add(
                  step.restore(
                      uuid(rs, "command_id"),
                      instant(rs, "sent_at"),
                      instant(rs, "started_at"),
                      instant(rs, "finished_at"),
                      instant(rs, "deadline_at"),
                      instant(rs, "progress_deadline_at"),
                      reason(rs.getString("reason")),
                      rs.getString("message"),
                      integer(rs, "in_flight_tasks"),
                      observed == null ? null : codec.read(observed, Observed.class),
                      map(rs.getString("result"))));
        }
      }
    }
    return steps;
  }

  private Map<String, String> map(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return codec.mapper().readValue(json, STRING_MAP);
    } catch (IOException e) {
      throw new UncheckedIOException("stored JSON is not a string map: " + json, e);
    }
  }

  private static FailureReason reason(String name) {
    return name == null ? null : FailureReason.valueOf(name);
  }
}
