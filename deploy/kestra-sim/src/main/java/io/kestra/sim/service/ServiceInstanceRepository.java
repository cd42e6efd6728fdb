package io.kestra.sim.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.sim.config.LivenessSettings;
import io.kestra.sim.config.WorkerTaskRestartStrategy;
import io.kestra.sim.db.ConnectionPool;
import io.kestra.sim.json.Json;
import io.kestra.upgrade.common.KestraDurations;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reads and writes {@code service_instance}: the JSONB value as Kestra's {@code ServiceInstance}
 * ({@code id, type, state, server{id, type, version, hostname, props, metrics}, createdAt,
 * updatedAt, events, config{...}, props, metrics, seqId}) and {@code updated_at}, the database time
 * of the last heartbeat or state change, which the liveness coordinator judges by.
 */
public final class ServiceInstanceRepository {

  private static final JsonFactory JSON_FACTORY = new JsonFactory();

  // As Kestra's ServiceInstance.state(...): a change of state appends a TimestampedEvent and
  // increments seqId; the same state again (a heartbeat) moves updatedAt only.
  private static final String SET_STATE =
      "UPDATE service_instance SET value = CASE WHEN value->>'state' = s.new_state"
          + " THEN jsonb_set(value, '{updatedAt}', to_jsonb(now()))"
          + " ELSE jsonb_set(jsonb_set(jsonb_set(jsonb_set(value, '{state}', to_jsonb(s.new_state)),"
          + "   '{updatedAt}', to_jsonb(now())),"
          + "   '{seqId}', to_jsonb(COALESCE((value->>'seqId')::bigint, 0) + 1)),"
          + "   '{events}', COALESCE(value->'events', '[]'::jsonb) || jsonb_build_array("
          + "     jsonb_build_object('ts', now(), 'value',"
          + "       format('Service transitioned to the ''%s'' state.', s.new_state),"
          + "       'type', 'service.state.updated', 'state', s.new_state))) END,"
          + " updated_at = now() FROM (SELECT ?::text AS new_state) s WHERE key = ?";

  private final ConnectionPool pool;

  /** A repository over the pool. */
  public ServiceInstanceRepository(ConnectionPool pool) {
    this.pool = pool;
  }

  /**
   * The rows in the given states and the database time at which they were read.
   *
   * @param now database time of the read
   * @param instances the rows
   */
  public record Snapshot(Instant now, List<ServiceInstance> instances) {}

  /** Inserts the row of a new service. */
  public void insert(LocalService s, ServerInfo server, ServiceConfig config) throws SQLException {
    String value = encode(s, server, config);
    pool.withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO service_instance (key, value, updated_at) VALUES (?, ?::jsonb, now())")) {
            ps.setString(1, s.id());
            ps.setString(2, value);
            return ps.executeUpdate();
          }
        });
  }

  /**
   * Writes a state (and a heartbeat) unless the coordinator has evicted the service (state
   * DISCONNECTED, NOT_RUNNING or EMPTY), which the service must not overwrite.
   *
   * @return false when the row is evicted or gone
   */
  public boolean update(String id, ServiceState state) throws SQLException {
    return pool.withConnection(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SET_STATE + " AND state <> ALL(?)")) {
            ps.setString(1, state.name());
            ps.setString(2, id);
            ps.setArray(3, states(c, ServiceState.EVICTED));
            return ps.executeUpdate() == 1;
          }
        });
  }

  /** Writes a state whatever the stored one (a webserver or standalone re-joining). */
  public void force(String id, ServiceState state) throws SQLException {
    pool.withConnection(c -> setState(c, id, state));
  }

  /** Writes a state in the caller's transaction. */
  public static int setState(Connection c, String id, ServiceState state) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SET_STATE)) {
      ps.setString(1, state.name());
      ps.setString(2, id);
      return ps.executeUpdate();
    }
  }

  /**
   * Moves a row from {@code expected} to {@code next}, if nobody changed it meanwhile (several
   * coordinators may run at once).
   *
   * @return whether the row moved
   */
  public static boolean transition(
      Connection c, String id, ServiceState expected, ServiceState next) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SET_STATE + " AND state = ?")) {
      ps.setString(1, next.name());
      ps.setString(2, id);
      ps.setString(3, expected.name());
      return ps.executeUpdate() == 1;
    }
  }

  /** The stored state of a service. */
  public Optional<ServiceState> storedState(String id) throws SQLException {
    return pool.withConnection(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT state FROM service_instance WHERE key = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(ServiceState.valueOf(rs.getString(1)))
                  : Optional.empty();
            }
          }
        });
  }

  /** The rows in the given states, read in the caller's transaction. */
  public static Snapshot find(Connection c, Collection<ServiceState> states) throws SQLException {
    Instant now;
    try (PreparedStatement ps = c.prepareStatement("SELECT now()");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      now = rs.getTimestamp(1).toInstant();
    }
    List<ServiceInstance> found = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT value, updated_at FROM service_instance WHERE state = ANY(?) ORDER BY key")) {
      ps.setArray(1, states(c, states));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(decode(rs.getString(1), rs.getTimestamp(2).toInstant()));
        }
      }
    }
    return new Snapshot(now, found);
  }

  // written with the streaming generator: Jackson's mapper costs start-up time, and every server
  // writes this value before it is ready. The shape is Kestra's ServiceInstance.create(...)'s.
  static String encode(LocalService s, ServerInfo server, ServiceConfig config) {
    String now = Instant.now().toString();
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("id", s.id());
      g.writeStringField("type", s.type().name());
      g.writeStringField("state", s.state().name());
      g.writeObjectFieldStart("server");
      g.writeStringField("id", server.id());
      g.writeStringField("type", server.type());
      g.writeStringField("version", server.version());
      g.writeStringField("hostname", server.hostname());
      g.writeObjectFieldStart("props");
      g.writeNumberField("server.port", server.apiPort());
      g.writeNumberField("server.management.port", server.managementPort());
      g.writeEndObject();
      g.writeArrayFieldStart("metrics");
      g.writeEndArray();
      g.writeEndObject();
      g.writeStringField("createdAt", now);
      g.writeStringField("updatedAt", now);
      g.writeArrayFieldStart("events");
      g.writeStartObject();
      g.writeStringField("ts", now);
      g.writeStringField("value", "Service connected.");
      g.writeStringField("type", "service.state.updated");
      g.writeStringField("state", s.state().name());
      g.writeEndObject();
      g.writeEndArray();
      writeConfig(g, config);
      g.writeObjectFieldStart("props");
      g.writeEndObject();
      g.writeArrayFieldStart("metrics");
      g.writeEndArray();
      g.writeNumberField("seqId", 0);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a service instance value", e);
    }
    return out.toString();
  }

  private static void writeConfig(JsonGenerator g, ServiceConfig config) throws IOException {
    LivenessSettings liveness = config.liveness();
    g.writeObjectFieldStart("config");
    g.writeStringField("terminationGracePeriod", config.terminationGracePeriod().toString());
    g.writeStringField("workerTaskRestartStrategy", config.restartStrategy().name());
    g.writeObjectFieldStart("liveness");
    g.writeBooleanField("enabled", liveness.enabled());
    g.writeStringField("interval", liveness.interval().toString());
    g.writeStringField("timeout", liveness.timeout().toString());
    g.writeStringField("initialDelay", liveness.initialDelay().toString());
    g.writeStringField("heartbeatInterval", liveness.heartbeatInterval().toString());
    g.writeEndObject();
    g.writeEndObject();
  }

  static ServiceInstance decode(String json, Instant updatedAt) throws SQLException {
    try {
      JsonNode v = Json.MAPPER.readTree(json);
      JsonNode cfg = v.path("config");
      JsonNode live = cfg.path("liveness");
      ServiceConfig config =
          new ServiceConfig(
              KestraDurations.parse(cfg.path("terminationGracePeriod").asText("PT5M")),
              WorkerTaskRestartStrategy.valueOf(
                  cfg.path("workerTaskRestartStrategy").asText("AFTER_TERMINATION_GRACE_PERIOD")),
              new LivenessSettings(
                  live.path("enabled").asBoolean(true),
                  KestraDurations.parse(live.path("timeout").asText("PT45S")),
                  KestraDurations.parse(live.path("interval").asText("PT5S")),
                  KestraDurations.parse(live.path("heartbeatInterval").asText("PT3S")),
                  KestraDurations.parse(live.path("initialDelay").asText("PT45S"))));
      return new ServiceInstance(
          v.path("id").asText(),
          ServiceType.valueOf(v.path("type").asText()),
          ServiceState.valueOf(v.path("state").asText()),
          v.path("server").path("hostname").asText(""),
          Instant.parse(v.path("createdAt").asText()),
          updatedAt,
          config);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new SQLException("Unreadable service_instance value: " + json, e);
    }
  }

  private static Array states(Connection c, Collection<ServiceState> states) throws SQLException {
    return c.createArrayOf("varchar", states.stream().map(Enum::name).toArray());
  }
}
