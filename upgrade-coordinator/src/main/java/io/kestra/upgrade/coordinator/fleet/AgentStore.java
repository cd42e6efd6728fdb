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
import java.time.Duration;
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
   * Records a heartbeat received at {@code receivedAt}, and clears a refusal. An older heartbeat
   * than the one stored (a redelivery, or records of one agent read out of order after a partition
   * change) only counts as a sign of life.
   *
   * @param clockOffset the agent's clock minus the coordinator's, or {@code null} to keep the one
   *     known (what an ack freshens is no measure of the agent's clock)
   */
  public void upsert(Connection c, Heartbeat hb, Instant receivedAt, Duration clockOffset)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO agent (agent_id, cluster, heartbeat, heartbeat_at, last_seen_at,"
                + " first_seen_at, clock_offset_ms) VALUES (?,?,?::jsonb,?,?,?,?)"
                + " ON CONFLICT (agent_id) DO UPDATE SET"
                + " cluster=CASE WHEN agent.heartbeat_at <= EXCLUDED.heartbeat_at"
                + " THEN EXCLUDED.cluster ELSE agent.cluster END,"
                + " heartbeat=CASE WHEN agent.heartbeat_at <= EXCLUDED.heartbeat_at"
                + " THEN EXCLUDED.heartbeat ELSE agent.heartbeat END,"
                + " heartbeat_at=GREATEST(agent.heartbeat_at, EXCLUDED.heartbeat_at),"
                + " last_seen_at=GREATEST(agent.last_seen_at, EXCLUDED.last_seen_at),"
                + " clock_offset_ms=CASE WHEN EXCLUDED.clock_offset_ms IS NULL"
                + " THEN agent.clock_offset_ms ELSE EXCLUDED.clock_offset_ms END,"
                + " refusal=NULL, refused_at=NULL")) {
      ps.setString(1, hb.agentId());
      ps.setString(2, hb.cluster());
      // the registry's copy is not what the agent signed once an ack freshened it: no signature
      ps.setString(3, codec.encodeToString(hb.withSignature(null)));
      setInstant(ps, 4, hb.at());
      setInstant(ps, 5, receivedAt);
      setInstant(ps, 6, receivedAt);
      if (clockOffset == null) {
        ps.setNull(7, java.sql.Types.BIGINT);
      } else {
        ps.setLong(7, clockOffset.toMillis());
      }
      ps.executeUpdate();
    }
  }

  /**
   * Records that the agent's latest message was refused, and why. A refused heartbeat of an agent
   * the registry does not know yet registers it, its heartbeat shown but never trusted: not seen
   * (it is LOST from the start), so that preflight names it rather than ignoring it.
   */
  public void refuse(Connection c, String agentId, Heartbeat refused, String why, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE agent SET refusal=?, refused_at=? WHERE agent_id=?")) {
      ps.setString(1, why);
      setInstant(ps, 2, now);
      ps.setString(3, agentId);
      if (ps.executeUpdate() > 0 || refused == null) {
        return;
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO agent (agent_id, cluster, heartbeat, heartbeat_at, last_seen_at,"
                + " first_seen_at, refusal, refused_at) VALUES (?,?,?::jsonb,?,?,?,?,?)"
                + " ON CONFLICT (agent_id) DO UPDATE SET refusal=EXCLUDED.refusal,"
                + " refused_at=EXCLUDED.refused_at")) {
      ps.setString(1, agentId);
      ps.setString(2, refused.cluster());
      ps.setString(3, codec.encodeToString(refused.withSignature(null)));
      setInstant(ps, 4, refused.at());
      // never seen: an untrusted message is no sign of life
      setInstant(ps, 5, Instant.EPOCH);
      setInstant(ps, 6, now);
      ps.setString(7, why);
      setInstant(ps, 8, now);
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
    long offset = rs.getLong("clock_offset_ms");
    Duration clockOffset = rs.wasNull() ? null : Duration.ofMillis(offset);
    return new AgentRecord(
        codec.read(rs.getString("heartbeat"), Heartbeat.class),
        instant(rs, "last_seen_at"),
        instant(rs, "first_seen_at"),
        clockOffset,
        rs.getString("refusal"),
        instant(rs, "refused_at"));
  }
}
