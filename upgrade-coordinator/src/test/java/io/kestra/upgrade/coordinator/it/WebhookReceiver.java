package io.kestra.upgrade.coordinator.it;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP receiver of the coordinator's webhooks, on a free port given to the coordinator as
 * {@code coordinator.webhooks.urls}. It refuses (503) the first delivery of every message whose
 * text names a cluster in {@link #refuseFirstFor}, to make the coordinator retry, and takes the
 * rest (204).
 */
public class WebhookReceiver implements QuarkusTestResourceLifecycleManager {

  /** One request: its status as answered and its body. */
  public record Delivery(int status, String body) {}

  /** Every request, in arrival order. */
  public static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();

  /** Clusters whose messages are refused once each. */
  public static final Set<String> refuseFirstFor = ConcurrentHashMap.newKeySet();

  private static final Map<String, Boolean> REFUSED_ONCE = new ConcurrentHashMap<>();

  private HttpServer server;

  @Override
  public Map<String, String> start() {
    try {
      server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          boolean refuse =
              refuseFirstFor.stream().anyMatch(body::contains)
                  && REFUSED_ONCE.putIfAbsent(body, true) == null;
          int status = refuse ? 503 : 204;
          DELIVERIES.add(new Delivery(status, body));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return Map.of(
        "coordinator.webhooks.urls",
        "http://localhost:" + server.getAddress().getPort() + "/hook/T000/B000/secret",
        // the retries of a refused message, 1 s apart rather than Slack-friendly seconds
        "io.kestra.upgrade.coordinator.notify.WebhookSender/post/Retry/delay",
        "200",
        "mp.messaging.incoming.webhooks.auto.offset.reset",
        "earliest");
  }

  @Override
  public void stop() {
    if (server != null) {
      server.stop(0);
    }
  }
}
