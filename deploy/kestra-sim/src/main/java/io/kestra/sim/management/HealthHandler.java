package io.kestra.sim.management;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kestra.sim.http.Responses;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * A health endpoint: {@code {"name":"kestra","status":"UP"}} with 200, or {@code "DOWN"} with 503,
 * as Micronaut's health endpoints answer.
 */
final class HealthHandler implements HttpHandler {

  private final BooleanSupplier up;

  HealthHandler(BooleanSupplier up) {
    this.up = up;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      boolean isUp = up.getAsBoolean();
      String body = "{\"name\":\"kestra\",\"status\":\"" + (isUp ? "UP" : "DOWN") + "\"}";
      Responses.text(exchange, isUp ? 200 : 503, "application/json", body);
    } finally {
      exchange.close();
    }
  }
}
