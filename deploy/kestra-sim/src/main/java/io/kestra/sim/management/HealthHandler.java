package io.kestra.sim.management;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.kestra.sim.http.Responses;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * A health endpoint answering Micronaut's aggregate body ({@code endpoints.health.details-visible:
 * ANONYMOUS} in Kestra): {@code {"name":"kestra","status":"UP","details":{"<indicator>":
 * {"name":"kestra","status":"UP",...}}}} with 200, or {@code "DOWN"} with 503 when any indicator is
 * DOWN. Without indicators the body has no {@code details}.
 */
final class HealthHandler implements HttpHandler {

  private static final JsonFactory JSON = new JsonFactory();
  private static final String NAME = "kestra";

  private final List<HealthIndicator> indicators;

  HealthHandler(List<HealthIndicator> indicators) {
    this.indicators = List.copyOf(indicators);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      boolean up = indicators.stream().allMatch(HealthIndicator::isUp);
      Responses.text(exchange, up ? 200 : 503, "application/json", body(up));
    } finally {
      exchange.close();
    }
  }

  /** The aggregate body; each indicator is asked once more, so a body may lag its status. */
  String body(boolean up) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("name", NAME);
      g.writeStringField("status", status(up));
      if (!indicators.isEmpty()) {
        g.writeObjectFieldStart("details");
        for (HealthIndicator indicator : indicators) {
          g.writeObjectFieldStart(indicator.name());
          g.writeStringField("name", NAME);
          g.writeStringField("status", status(indicator.isUp()));
          writeDetails(g, indicator.details());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    return out.toString();
  }

  private static void writeDetails(JsonGenerator g, Map<String, Object> details)
      throws IOException {
    if (details.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart("details");
    for (Map.Entry<String, Object> e : details.entrySet()) {
      if (e.getValue() instanceof Number n) {
        g.writeNumberField(e.getKey(), n.longValue());
      } else {
        g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
      }
    }
    g.writeEndObject();
  }

  private static String status(boolean up) {
    return up ? "UP" : "DOWN";
  }
}
