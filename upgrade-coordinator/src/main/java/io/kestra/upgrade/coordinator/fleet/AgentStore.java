package io.kestra.upgrade.coordinator.fleet;

import static io.kestra.upgrade.coordinator.db.Rows.instant;
import static io.kestra.upgrade.coordinator.db.Rows.setInstant;

import com.fasterxml.jackson.core.type.TypeReference;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Observed;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The agent table. */
@ApplicationScoped
public class AgentStore {

  private static final TypeReference<Set<Capability>> CAPABILITIES = new TypeReference<>() {};

  private final JsonCodec codec;

  public AgentStore(JsonCodec codec) {
    this.codec = codec;
  }

  /**
   * Records a heartbeat. An older heartbeat than the one stored (a redelivery, or records of one
   * agent read out of order after a partition change) changes nothing.
   */
  public void upsert(Connection c, Heartbeat hb, Instant receivedAt) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO agent (agent_id, cluster, kind, instance, agent_version, component_version,"
                + " component_state, ready, in_flight_tasks, driver, capabilities, current_command_id,"
                + " heartbeat_at, last_seen_at, first_seen_at)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?::jsonb,?,?,?,?)"
                + " ON CONFLICT (agent_id) DO UPDATE SET cluster=EXCLUDED.cluster, kind=EXCLUDED.kind,"
                + " instance=EXCLUDED.instance, agent_version=EXCLUDED.agent_version,"
                + " component_version=EXCLUDED.component_version,"
                + " component_state=EXCLUDED.component_state, ready=EXCLUDED.ready,"
                + " in_flight_tasks=EXCLUDED.in_flight_tasks, driver=EXCLUDED.driver,"
                + " capabilities=EXCLUDED.capabilities, current_command_id=EXCLUDED.current_command_id,"
                + " heartbeat_at=EXCLUDED.heartbeat_at, last_seen_at=EXCLUDED.last_seen_at"
                + " WHERE agent.heartbeat_at <= EXCLUDED.heartbeat_at")) {
      ps.setString(1, hb.agentId());
      ps.setString(2, hb.cluster());
      ps.setString(3, hb.kind().name());
      ps.setString(4, hb.instance());
      ps.setString(5, hb.agentVersion());
      ps.setString(6, hb.component().version());
      ps.setString(7, hb.component().state().name());
      ps.setBoolean(8, hb.component().ready());
      ps.setInt(9, hb.component().inFlightTasks());
      ps.setString(10, hb.driver());
      ps.setString(11, codec.encodeToString(hb.capabilities()));
      ps.setString(12, hb.currentCommandId());
      setInstant(ps, 13, hb.at());
      setInstant(ps, 14, receivedAt);
      setInstant(ps, 15, receivedAt);
      ps.executeUpdate();
    }
  }

  /**
   * Records what an ack says of the agent's server, when it is newer than what the registry holds:
   * an ack is often fresher than the last heartbeat (a server that just became ready).
   */
  public void observe(
      Connection c, String agentId, Observed observed, Instant at, Instant receivedAt)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE agent SET component_version=COALESCE(?, component_version), component_state=?,"
                + " ready=?, in_flight_tasks=?, heartbeat_at=?, last_seen_at=GREATEST(last_seen_at, ?)"
                + " WHERE agent_id=? AND heartbeat_at <= ?")) {
      ps.setString(1, observed.version());
      ps.setString(2, observed.state().name());
      ps.setBoolean(3, observed.ready());
      ps.setInt(4, observed.inFlightTasks());
      setInstant(ps, 5, at);
      setInstant(ps, 6, receivedAt);
      ps.setString(7, agentId);
      setInstant(ps, 8, at);
      ps.executeUpdate();
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
          out.add(
              new AgentRecord(
                  rs.getString("agent_id"),
                  rs.getString("cluster"),
                  ComponentKind.valueOf(rs.getString("kind")),
                  rs.getString("instance"),
                  rs.getString("agent_version"),
                  rs.getString("component_version"),
                  ComponentState.valueOf(rs.getString("component_state")),
                  rs.getBoolean("ready"),
                  rs.getInt("in_flight_tasks"),
                  rs.getString("driver"),
                  capabilities(rs.getString("capabilities")),
                  rs.getString("current_command_id"),
                  instant(rs, "heartbeat_at"),
                  instant(rs, "last_seen_at"),
                  instant(rs, "first_seen_at")));
        }
      }
    }
    return out;
  }

  private Set<Capability> capabilities(String json) {
    try {
      return codec.mapper().readValue(json, CAPABILITIES);
    } catch (IOException e) {
      throw new UncheckedIOException("stored capabilities are not a set: " + json, e);
    }
  }
}
