package io.kestra.upgrade.coordinator.upgrade.store;

import static io.kestra.upgrade.coordinator.db.Rows.instant;
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
import io.kestra.upgrade.coordinator.upgrade.engine.ProgressReport;
import io.kestra.upgrade.coordinator.upgrade.engine.StepProgress;
import io.kestra.upgrade.coordinator.upgrade.engine.StepRun;
import io.kestra.upgrade.coordinator.upgrade.plan.PlannedStep;
import io.kestra.upgrade.coordinator.upgrade.plan.StepHistory;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The upgrade_step table: each step's plan and progress. Every method runs in the caller's
 * transaction.
 */
@ApplicationScoped
public class StepStore {

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  /** The step states whose command is out, as the sweep's query asks for them. */
  private static final String[] IN_FLIGHT =
      Arrays.stream(StepState.values())
          .filter(StepState::isInFlight)
          .map(Enum::name)
          .toArray(String[]::new);

  private final JsonCodec codec;

  public StepStore(JsonCodec codec) {
    this.codec = codec;
  }

  /**
   * Inserts the steps of a new upgrade, PENDING: their progress is written by {@link #update} once
   * the first transition changed it.
   */
  public void insert(Connection c, String upgradeId, List<StepRun> steps) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO upgrade_step (id, upgrade_id, seq, phase, grp, agent_id, command_type,"
                + " target_version, params, timeout_ms, state, estimate_ms)"
                + " VALUES (?,?,?,?,?,?,?,?,?::jsonb,?,?,?)")) {
      for (StepRun s : steps) {
        PlannedStep p = s.plan();
        setUuid(ps, 1, s.id());
        setUuid(ps, 2, upgradeId);
        ps.setInt(3, p.seq());
        ps.setString(4, p.phase().name());
        ps.setInt(5, p.group());
        ps.setString(6, p.agentId());
        ps.setString(7, p.type().name());
        ps.setString(8, p.targetVersion());
        ps.setString(9, codec.encodeToString(p.params()));
        ps.setLong(10, p.timeout().toMillis());
        ps.setString(11, s.state().name());
        ps.setObject(12, p.estimate() == null ? null : p.estimate().toMillis(), Types.BIGINT);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Writes the progress of the steps that changed. */
  public void update(Connection c, List<StepRun> steps) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE upgrade_step SET state=?, command_id=?, sent_at=?, started_at=?, finished_at=?,"
                + " deadline_at=?, progress_deadline_at=?, reason=?, message=?, observed=?::jsonb,"
                + " result=?::jsonb, last_ack_at=?, last_progress_event=?::jsonb WHERE id=?")) {
      int n = 0;
      for (StepRun s : steps) {
        if (!s.isDirty()) {
          continue;
        }
        StepProgress p = s.progress();
        ps.setString(1, p.state().name());
        setUuid(ps, 2, p.commandId());
        setInstant(ps, 3, p.sentAt());
        setInstant(ps, 4, p.startedAt());
        setInstant(ps, 5, p.finishedAt());
        setInstant(ps, 6, p.deadlineAt());
        setInstant(ps, 7, p.progressDeadlineAt());
        ps.setString(8, p.reason() == null ? null : p.reason().name());
        ps.setString(9, p.message());
        ps.setString(10, p.observed() == null ? null : codec.encodeToString(p.observed()));
        ps.setString(11, codec.encodeToString(p.result()));
        setInstant(ps, 12, p.lastAckAt());
        ps.setString(
            13, p.lastProgressEvent() == null ? null : codec.encodeToString(p.lastProgressEvent()));
        setUuid(ps, 14, s.id());
        ps.addBatch();
        n++;
        s.clean();
      }
      if (n > 0) {
        ps.executeBatch();
      }
    }
  }

  /** The steps of each upgrade, in order. */
  public Map<String, List<StepRun>> stepsOf(Connection c, List<String> upgradeIds)
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
          steps
              .computeIfAbsent(uuid(rs, "upgrade_id"), k -> new ArrayList<>())
              .add(new StepRun(uuid(rs, "id"), plan(rs), progress(rs)));
        }
      }
    }
    return steps;
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

  /** Upgrades that have a command out. */
  public List<String> upgradesWithStepsInFlight(Connection c) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT DISTINCT upgrade_id FROM upgrade_step WHERE state = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("text", IN_FLIGHT));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(uuid(rs, "upgrade_id"));
        }
      }
    }
    return ids;
  }

  private PlannedStep plan(ResultSet rs) throws SQLException {
    return new PlannedStep(
        rs.getInt("seq"),
        Phase.valueOf(rs.getString("phase")),
        rs.getInt("grp"),
        rs.getString("agent_id"),
        CommandType.valueOf(rs.getString("command_type")),
        rs.getString("target_version"),
        map(rs.getString("params")),
        Duration.ofMillis(rs.getLong("timeout_ms")),
        rs.getObject("estimate_ms") == null ? null : Duration.ofMillis(rs.getLong("estimate_ms")));
  }

  /**
   * What each agent's commands took, the last time they SUCCEEDED in an upgrade of {@code cluster}
   * (not in a rollback): what the planner expects them to take next time.
   */
  public StepHistory history(Connection c, String cluster) throws SQLException {
    Map<String, Duration> last = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT DISTINCT ON (s.agent_id, s.command_type) s.agent_id, s.command_type,"
                + " s.sent_at, s.finished_at FROM upgrade_step s JOIN upgrade u ON u.id ="
                + " s.upgrade_id WHERE u.cluster = ? AND s.state = 'SUCCEEDED' AND s.sent_at IS"
                + " NOT NULL AND s.finished_at IS NOT NULL AND s.phase NOT LIKE 'ROLLBACK%' AND"
                + " s.phase <> 'RESTORE' ORDER BY s.agent_id, s.command_type, s.finished_at DESC")) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          last.put(
              StepHistory.key(
                  rs.getString("agent_id"), CommandType.valueOf(rs.getString("command_type"))),
              Duration.between(instant(rs, "sent_at"), instant(rs, "finished_at")));
        }
      }
    }
    return new StepHistory(last);
  }

  private StepProgress progress(ResultSet rs) throws SQLException {
    String reason = rs.getString("reason");
    String observed = rs.getString("observed");
    String lastProgressEvent = rs.getString("last_progress_event");
    return new StepProgress(
        StepState.valueOf(rs.getString("state")),
        uuid(rs, "command_id"),
        instant(rs, "sent_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        instant(rs, "deadline_at"),
        instant(rs, "progress_deadline_at"),
        reason == null ? null : FailureReason.valueOf(reason),
        rs.getString("message"),
        observed == null ? null : codec.read(observed, Observed.class),
        map(rs.getString("result")),
        instant(rs, "last_ack_at"),
        lastProgressEvent == null ? null : codec.read(lastProgressEvent, ProgressReport.class));
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
}
