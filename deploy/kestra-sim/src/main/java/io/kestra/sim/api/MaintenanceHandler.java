package io.kestra.sim.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kestra.sim.config.BasicAuthSettings;
import io.kestra.sim.http.Responses;
import io.kestra.sim.json.Json;
import io.kestra.sim.maintenance.InstanceMaintenance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Kestra's instance maintenance API: {@code GET /api/v1/instance/maintenance/status} (open-source
 * Kestra's {@code InstanceController}: {@code {"status": "operational", "maintenanceDetails":
 * null}}), and Enterprise's {@code POST .../enter} and {@code POST .../exit}, which answer with the
 * status. With {@code kestra.server.basic-auth.enabled}, enter and exit need those credentials (401
 * otherwise). {@code maintenanceDetails} is the stand-in's own: {@code since} and {@code
 * queuedExecutions} (created, not started).
 */
final class MaintenanceHandler extends ApiHandler {

  static final String PATH = "/api/v1/instance/maintenance";

  private static final Logger LOG = Logger.getLogger(MaintenanceHandler.class.getName());

  private final InstanceMaintenance maintenance;
  private final Optional<BasicAuthSettings> credentials;
  private final Clock clock;

  MaintenanceHandler(
      InstanceMaintenance maintenance, Optional<BasicAuthSettings> credentials, Clock clock) {
    this.maintenance = maintenance;
    this.credentials = credentials;
    this.clock = clock;
  }

  @Override
  void serve(HttpExchange exchange) throws IOException, SQLException {
    String action =
        exchange.getRequestURI().getPath().replaceAll("/+$", "").substring(PATH.length());
    String method = exchange.getRequestMethod();
    switch (action) {
      case "/status" -> {
        if (!method.equals("GET")) {
          Responses.error(exchange, 405, "Method Not Allowed");
          return;
        }
      }
      case "/enter", "/exit" -> {
        if (!method.equals("POST")) {
          Responses.error(exchange, 405, "Method Not Allowed");
          return;
        }
        if (!authorised(exchange)) {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Kestra\"");
          Responses.error(exchange, 401, "Unauthorized");
          return;
        }
        if (action.equals("/enter")) {
          maintenance.enter(clock.instant());
          LOG.info("Instance entered maintenance mode: new executions are queued");
        } else {
          maintenance.exit();
          LOG.info("Instance exited maintenance mode");
        }
      }
      default -> {
        Responses.error(exchange, 404, "Not Found");
        return;
      }
    }
    Responses.json(exchange, 200, status());
  }

  private ObjectNode status() throws SQLException {
    Optional<Instant> since = maintenance.since();
    ObjectNode body =
        Json.MAPPER
            .createObjectNode()
            .put("status", since.isPresent() ? "maintenance" : "operational");
    if (since.isPresent()) {
      body.putObject("maintenanceDetails")
          .put("since", since.get().toString())
          .put("queuedExecutions", maintenance.queued());
    } else {
      body.putNull("maintenanceDetails");
    }
    return body;
  }

  private boolean authorised(HttpExchange exchange) {
    if (credentials.isEmpty()) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String expected = credentials.get().username() + ":" + credentials.get().password();
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    // constant time, as a password check should be
    return MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8));
  }
}
