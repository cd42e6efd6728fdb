package io.kestra.sim.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kestra.sim.execution.Stats;
import io.kestra.sim.execution.StatsRepository;
import io.kestra.sim.http.Responses;
import io.kestra.sim.json.Json;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /api/v1/sim/stats[?createdBefore=ISO-instant]}: {@code created, completed, forced,
 * resubmitted, running, lost}, when asked {@code pendingBefore}, and with a ledger {@code dropped}
 * and the first 100 {@code droppedIds}.
 */
final class StatsHandler extends ApiHandler {

  static final String PATH = "/api/v1/sim/stats";

  private final StatsRepository stats;

  StatsHandler(StatsRepository stats) {
    this.stats = stats;
  }

  @Override
  void serve(HttpExchange exchange) throws IOException, SQLException, BadRequestException {
    if (!exchange.getRequestMethod().equals("GET")) {
      Responses.error(exchange, 405, "Method Not Allowed");
      return;
    }
    if (!exchange.getRequestURI().getPath().replaceAll("/+$", "").equals(PATH)) {
      Responses.error(exchange, 404, "Not Found");
      return;
    }
    Stats s = stats.read(createdBefore(Responses.query(exchange).get("createdBefore")));
    ObjectNode body =
        Json.MAPPER
            .createObjectNode()
            .put("created", s.created())
            .put("completed", s.completed())
            .put("forced", s.forced())
            .put("resubmitted", s.resubmitted())
            .put("running", s.running())
            .put("lost", s.lost());
    s.pendingBefore().ifPresent(p -> body.put("pendingBefore", p));
    s.dropped()
        .ifPresent(
            d -> {
              body.put("dropped", d);
              s.droppedIds().forEach(body.putArray("droppedIds")::add);
            });
    Responses.json(exchange, 200, body);
  }

  private static Instant createdBefore(String text) throws BadRequestException {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadRequestException("Invalid createdBefore (an ISO-8601 instant): " + text);
    }
  }
}
