package io.kestra.sim.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kestra.sim.json.Json;
import java.io.IOException;

/**
 * Micronaut's answer to a path no route serves: 404 with its JSON error body. It is all an
 * executor, worker, scheduler or indexer serves on its API port: Kestra starts the embedded web
 * server for every server command, but its API controllers exist only on a webserver or standalone.
 */
public final class NotFoundHandler implements HttpHandler {

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      ObjectNode body = Json.MAPPER.createObjectNode();
      body.put("message", "Not Found");
      ObjectNode self = body.putObject("_links").putObject("self");
      self.put("href", path);
      self.put("templated", false);
      body.putObject("_embedded").putArray("errors").addObject().put("message", "Page Not Found");
      Responses.json(exchange, 404, body);
    } finally {
      exchange.close();
    }
  }
}
