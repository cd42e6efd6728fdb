package io.kestra.sim.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kestra.sim.execution.Execution;
import io.kestra.sim.execution.ExecutionPage;
import io.kestra.sim.execution.ExecutionRepository;
import io.kestra.sim.execution.TaskDurations;
import io.kestra.sim.http.Responses;
import io.kestra.sim.json.Json;
import io.kestra.upgrade.common.KestraDurations;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@code /api/v1/executions}: {@code POST /{namespace}/{flowId}[?taskDuration=PT30S|30000]} creates
 * an execution, {@code GET /search[?size=N]} lists the newest, {@code GET /{id}} reads one (404
 * when unknown).
 */
final class ExecutionsHandler extends ApiHandler {

  static final String PATH = "/api/v1/executions";
  private static final int DEFAULT_SIZE = 10;
  private static final int MAX_SIZE = 10_000;

  private final ExecutionRepository executions;
  private final TaskDurations durations;

  ExecutionsHandler(ExecutionRepository executions, TaskDurations durations) {
    this.executions = executions;
    this.durations = durations;
  }

  @Override
  void serve(HttpExchange exchange) throws IOException, SQLException, BadRequestException {
    String[] segments = segments(exchange.getRequestURI().getPath());
    String method = exchange.getRequestMethod();
    if (segments.length == 2 && method.equals("POST")) {
      create(exchange, segments[0], segments[1]);
    } else if (segments.length == 1 && segments[0].equals("search") && method.equals("GET")) {
      search(exchange);
    } else if (segments.length == 1 && method.equals("GET")) {
      find(exchange, segments[0]);
    } else if (segments.length == 1 || segments.length == 2) {
      Responses.error(exchange, 405, "Method Not Allowed");
    } else {
      Responses.error(exchange, 404, "Not Found");
    }
  }

  private void create(HttpExchange exchange, String namespace, String flowId)
      throws IOException, SQLException, BadRequestException {
    String asked = Responses.query(exchange).get("taskDuration");
    long durationMs = asked == null ? durations.next() : taskDurationMs(asked);
    Execution e = executions.create(namespace, flowId, durationMs);
    Responses.json(exchange, 200, ExecutionJson.of(e));
  }

  private void search(HttpExchange exchange) throws IOException, SQLException, BadRequestException {
    String asked = Responses.query(exchange).get("size");
    int size = asked == null ? DEFAULT_SIZE : size(asked);
    ExecutionPage page = executions.search(size);
    ObjectNode body = Json.MAPPER.createObjectNode().put("total", page.total());
    ArrayNode results = body.putArray("results");
    page.results().forEach(e -> results.add(ExecutionJson.of(e)));
    Responses.json(exchange, 200, body);
  }

  private void find(HttpExchange exchange, String id) throws IOException, SQLException {
    Optional<Execution> e = executions.find(id);
    if (e.isPresent()) {
      Responses.json(exchange, 200, ExecutionJson.of(e.get()));
    } else {
      Responses.error(exchange, 404, "Execution " + id + " not found");
    }
  }

  static long taskDurationMs(String text) throws BadRequestException {
    try {
      long ms =
          text.chars().allMatch(Character::isDigit) && !text.isEmpty()
              ? Long.parseLong(text)
              : KestraDurations.parse(text).toMillis();
      if (ms < 0) {
        throw new BadRequestException("taskDuration must not be negative: " + text);
      }
      return ms;
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Invalid taskDuration: " + e.getMessage());
    }
  }

  private static int size(String text) throws BadRequestException {
    try {
      int size = Integer.parseInt(text);
      if (size < 1 || size > MAX_SIZE) {
        throw new BadRequestException("size must be between 1 and " + MAX_SIZE + ": " + text);
      }
      return size;
    } catch (NumberFormatException e) {
      throw new BadRequestException("Invalid size: " + text);
    }
  }

  private static String[] segments(String path) {
    String rest = path.substring(Math.min(path.length(), PATH.length()));
    rest = rest.replaceAll("^/+", "").replaceAll("/+$", "");
    return rest.isEmpty() ? new String[0] : rest.split("/+");
  }
}
