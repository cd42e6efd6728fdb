package io.kestra.upgrade.coordinator.fleet;

import static io.kestra.upgrade.coordinator.db.Rows.instant;
import static io.kestra.upgrade.coordinator.db.Rows.setInstant;

import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
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
 * The agent table: one row per agent, holding its last heartbeat as JSON beside the columns the
 * coordinator queries by (cluster) and judges by (when the heartbeat was sent, when it arrived).
 */
@ApplicationScoped
public class AgentStore {

  private final JsonCodec codec;

  public AgentStore(JsonCodec codec) {
    this.codec = codec;
  }

  /**
   * Records a heartbeat received at {@code receivedAt}. An older heartbeat than the one stored (a
   * redelivery, or records of one agent read out of order after a partition change) only counts as
   * a sign of life.
   */
  public void upsert(Connection c, Heartbeat hb, Instant receivedAt) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO agent (agent_id, cluster, heartbeat, heartbeat_at, last_seen_at,"
                + " first_seen_at) VALUES (?,?,?::jsonb,?,?,?)"
                + " ON CONFLICT (agent_id) DO UPDATE SET"
                + " cluster=CASE WHEN agent.heartbeat_at <= EXCLUDED.heartbeat_at"
                + " THEN EXCLUDED.cluster ELSE agent.cluster END,"
                + " heartbeat=CASE WHEN agent.heartbeat_at <= EXCLUDED.heartbeat_at"
                + " THEN EXCLUDED.heartbeat ELSE agent.heartbeat END,"
                + " heartbeat_at=GREATEST(agent.heartbeat_at, EXCLUDED.heartbeat_at),"
                + " last_seen_at=GREATEST(agent.last_seen_at, EXCLUDED.last_seen_at)")) {
      ps.setString(1, hb.agentId());
      ps.setString(2, hb.cluster());
      ps.setString(3, codec.encodeToString(hb));
      setInstant(ps, 4, hb.at());
      setInstant(ps, 5, receivedAt);
      setInstant(ps, 6, receivedAt);
      ps.executeUpdate();
    }
  }

  /** An agent's record, its row locked until the transaction ends. */
  public Optional<AgentRecord> lock(Connection c, String agentId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT * FROM agent WHERE agent_id=? FOR UPDATE")) {
      ps.setString(1, agentId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(record(rs)) : Optional.empty();
      }
    }
  }

  /** Agents of a cluster, or of every cluster when {@code cluster} is null, by id. */
  public List<AgentRecord> list(Connection c, String cluster) throws SQLException {
    String sql =
        "SELECT * FROM agent" + (cluster == null ? "" : " WHERE cluster=?") + " ORDER BY agent_id";
    List<AgentRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (cluster != null) {
        ps.setString(1, cluster);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(record(rs));
        }
      }
    }
    return out;
  }

  /**
   * Deletes an agent's row.
   *
   * @return whether there was one
   */
  public boolean delete(Connection c, String agentId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM agent WHERE agent_id=?")) {
      ps.setString(1, agentId);
      return ps.executeUpdate() == 1;
    }
  }

  private AgentRecord record(ResultSet rs) throws SQLException {
    return new AgentRecord(
        codec.read(rs.getString("heartbeat"), Heartbeat.class),
        instant(rs, "last_seen_at"),
        instant(rs, "first_seen_at"));
  }
}
