package io.kestra.sim.management;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kestra.sim.http.Responses;
import java.io.IOException;
import java.util.function.Supplier;

/** {@code /prometheus}: the Prometheus text exposition of {@link Metrics}. */
final class MetricsHandler implements HttpHandler {

  private final Supplier<String> metrics;

  MetricsHandler(Supplier<String> metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      Responses.text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
    } finally {
      exchange.close();
    }
  }
}
