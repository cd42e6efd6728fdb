package io.kestra.sim.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.kestra.sim.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Writing responses and reading query strings for the JDK HTTP server. */
public final class Responses {

  private Responses() {}

  /** Sends a JSON body. */
  public static void json(HttpExchange exchange, int status, Object body) throws IOException {
    send(exchange, status, "application/json", Json.MAPPER.writeValueAsBytes(body));
  }

  /** Sends Kestra's error body: {@code {"message": ...}}. */
  public static void error(HttpExchange exchange, int status, String message) throws IOException {
    ObjectNode body = Json.MAPPER.createObjectNode().put("message", message);
    json(exchange, status, body);
  }

  /** Sends a text body. */
  public static void text(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The decoded query parameters (last value wins). */
  public static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(decode(key), decode(value));
    }
    return params;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
