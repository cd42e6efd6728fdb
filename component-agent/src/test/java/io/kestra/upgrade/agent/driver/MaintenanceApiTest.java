package io.kestra.upgrade.agent.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.kestra.upgrade.common.FailureReason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's side of Kestra's maintenance API, against an HTTP server that answers as Kestra's
 * does (the stand-in's own implementation is exercised end to end by the sandbox's StrategiesIT).
 */
class MaintenanceApiTest {

  private HttpServer server;
  private final List<String> seen = new ArrayList<>();
  private final List<String> progress = new ArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A Kestra whose maintenance endpoints answer {@code changeStatus}, keeping the state. */
  private URI kestra(int changeStatus) throws IOException {
    AtomicBoolean on = new AtomicBoolean();
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/api/v1/instance/maintenance/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          seen.add(
              exchange.getRequestMethod()
                  + " "
                  + path
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization"));
          int code = 200;
          if (path.endsWith("/enter") || path.endsWith("/exit")) {
            code = changeStatus;
            if (code == 200) {
              on.set(path.endsWith("/enter"));
            }
          }
          byte[] body =
              ("{\"status\":\""
                      + (on.get() ? "maintenance" : "operational")
                      + "\",\"maintenanceDetails\":"
                      + (on.get() ? "{\"queuedExecutions\":2}" : "null")
                      + "}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(code, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return URI.create("http://localhost:" + server.getAddress().getPort() + "/");
  }

  private MaintenanceApi api(URI base, Duration timeout) {
    return new MaintenanceApi(
        base, Optional.of("admin@kestra.io"), Optional.of("pw"), timeout, Clock.systemUTC());
  }

  @Test
  void entersWithBasicCredentialsAndWaitsForTheStatusToSaySo() throws Exception {
    MaintenanceApi api = api(kestra(200), Duration.ofSeconds(10));

    String details = api.set(true, progress::add);

    assertThat(details).isEqualTo("{\"queuedExecutions\":2}");
    assertThat(seen)
        .containsExactly(
            "POST /api/v1/instance/maintenance/enter Basic YWRtaW5Aa2VzdHJhLmlvOnB3",
            "GET /api/v1/instance/maintenance/status Basic YWRtaW5Aa2VzdHJhLmlvOnB3");
    assertThat(api.set(false, progress::add)).isEmpty();
  }

  @Test
  void refusedCredentialsFailAtOnceNamingThem() throws Exception {
    MaintenanceApi api = api(kestra(401), Duration.ofSeconds(30));

    DriverException e =
        catchThrowableOfType(DriverException.class, () -> api.set(true, progress::add));

    assertThat(e.reason()).isEqualTo(FailureReason.MAINTENANCE_FAILED);
    assertThat(e.getMessage()).contains("401", "credentials");
    assertThat(seen).hasSize(1);
  }

  @Test
  void aKestraWithoutTheEnterpriseApiFailsAtOnce() throws Exception {
    MaintenanceApi api = api(kestra(404), Duration.ofSeconds(30));

    DriverException e =
        catchThrowableOfType(DriverException.class, () -> api.set(false, progress::add));

    assertThat(e.getMessage()).contains("404", "Enterprise");
  }

  @Test
  void anApiThatDoesNotAnswerIsAskedAgainUntilTheTimeOut() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    MaintenanceApi api = api(URI.create("http://localhost:" + port), Duration.ofMillis(2500));

    DriverException e =
        catchThrowableOfType(DriverException.class, () -> api.set(true, progress::add));

    assertThat(e.reason()).isEqualTo(FailureReason.MAINTENANCE_FAILED);
    assertThat(e.getMessage()).contains("not entered within PT2.5S", "does not answer");
    assertThat(progress).isNotEmpty().allMatch(p -> p.startsWith("entering maintenance mode: "));
  }
}
