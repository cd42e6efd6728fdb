package io.kestra.upgrade.coordinator.upgrade.store;

import static io.kestra.upgrade.coordinator.db.Rows.instant;
import static io.kestra.upgrade.coordinator.db.Rows.setInstant;
import static io.kestra.upgrade.coordinator.db.Rows.setUuid;
import static io.kestra.upgrade.coordinator.db.Rows.uuid;

import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.UpgradeState;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeSpec;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeStatus;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import io.kestra.upgrade.coordinator.upgrade.plan.UpgradeOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The upgrade table: an upgrade's spec and status. Every method runs in the caller's transaction.
 */
@ApplicationScoped
public class UpgradeStore {

  /**
   * An upgrade's own row.
   *
   * @param spec what it is
   * @param status where it stands
   */
  public record Row(UpgradeSpec spec, UpgradeStatus status) {}

  private final JsonCodec codec;

  public UpgradeStore(JsonCodec codec) {
    this.codec = codec;
  }

  /** Inserts a new upgrade; a second active upgrade of the cluster violates a unique index. */
  public void insert(Connection c, UpgradeSpec spec, UpgradeStatus status, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO upgrade (state, started_at, finished_at, reason, message, backup_id,"
                + " updated_at, id, cluster, strategy, from_version, to_version, options,"
                + " created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?::jsonb,?)")) {
      int i = setStatus(ps, status, now);
      setUuid(ps, i, spec.id());
      ps.setString(i + 1, spec.cluster());
      ps.setString(i + 2, spec.strategy().name());
      ps.setString(i + 3, spec.fromVersion());
      ps.setString(i + 4, spec.toVersion());
      ps.setString(i + 5, codec.encodeToString(spec.options()));
      setInstant(ps, i + 6, spec.createdAt());
      ps.executeUpdate();
    }
  }

  /** Writes an upgrade's status. */
  public void update(Connection c, String id, UpgradeStatus status, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE upgrade SET state=?, started_at=?, finished_at=?, reason=?, message=?,"
                + " backup_id=?, updated_at=? WHERE id=?")) {
      setUuid(ps, setStatus(ps, status, now), id);
      ps.executeUpdate();
    }
  }

  /**
   * Binds the status columns, in the order both statements list them, from the first parameter.
   *
   * @return the index of the next parameter
   */
  private static int setStatus(PreparedStatement ps, UpgradeStatus status, Instant now)
      throws SQLException {
    ps.setString(1, status.state().name());
    setInstant(ps, 2, status.startedAt());
    setInstant(ps, 3, status.finishedAt());
    ps.setString(4, status.reason() == null ? null : status.reason().name());
    ps.setString(5, status.message());
    ps.setString(6, status.backupId());
    setInstant(ps, 7, now);
    return 8;
  }

  /** An upgrade's row, locked until the transaction ends when {@code lock}. */
  public Optional<Row> find(Connection c, String id, boolean lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT * FROM upgrade WHERE id=?" + (lock ? " FOR UPDATE" : ""))) {
      setUuid(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(row(rs)) : Optional.empty();
      }
    }
  }

  /** Upgrades, newest first, optionally of one cluster. */
  public List<Row> list(Connection c, String cluster, int limit) throws SQLException {
    String sql =
        "SELECT * FROM upgrade"
            + (cluster == null ? "" : " WHERE cluster=?")
            + " ORDER BY created_at DESC LIMIT ?";
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (cluster != null) {
        ps.setString(i++, cluster);
      }
      ps.setInt(i, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(row(rs));
        }
      }
    }
    return rows;
  }

  /** Every upgrade that is not over (see {@link UpgradeStatus}), of every cluster. */
  public List<Row> active(Connection c) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement("SELECT * FROM upgrade WHERE finished_at IS NULL ORDER BY cluster");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(row(rs));
      }
    }
    return rows;
  }

  /** The upgrade of the cluster that is not over (see {@link UpgradeStatus}), if any. */
  public Optional<String> activeUpgradeOf(Connection c, String cluster) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM upgrade WHERE cluster=? AND finished_at IS NULL")) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(uuid(rs, "id")) : Optional.empty();
      }
    }
  }

  /** An upgrade that is not over and has a step for {@code agentId}, if any. */
  public Optional<String> activeUpgradeWithStepFor(Connection c, String agentId)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT u.id FROM upgrade u WHERE u.finished_at IS NULL AND EXISTS (SELECT 1 FROM"
                + " upgrade_step s WHERE s.upgrade_id = u.id AND s.agent_id = ?)"
                + " ORDER BY u.created_at LIMIT 1")) {
      ps.setString(1, agentId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(uuid(rs, "id")) : Optional.empty();
      }
    }
  }

  private Row row(ResultSet rs) throws SQLException {
    String reason = rs.getString("reason");
    return new Row(
        new UpgradeSpec(
            uuid(rs, "id"),
            rs.getString("cluster"),
            Strategy.valueOf(rs.getString("strategy")),
            rs.getString("from_version"),
            rs.getString("to_version"),
            codec.read(rs.getString("options"), UpgradeOptions.class),
            instant(rs, "created_at")),
        new UpgradeStatus(
            UpgradeState.valueOf(rs.getString("state")),
            instant(rs, "started_at"),
            instant(rs, "finished_at"),
            reason == null ? null : FailureReason.valueOf(reason),
            rs.getString("message"),
            rs.getString("backup_id")));
  }
}
