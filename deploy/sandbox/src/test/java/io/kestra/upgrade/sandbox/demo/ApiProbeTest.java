package io.kestra.upgrade.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kestra.upgrade.sandbox.support.Poll;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's API probe against a real HTTP server that goes down and comes back. */
class ApiProbeTest {

  private final AtomicBoolean up = new AtomicBoolean(true);
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    server.createContext(
        "/api/v1/executions/search",
        exchange -> {
          exchange.sendResponseHeaders(up.get() ? 200 : 503, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url() {
    return "http://localhost:" + server.getAddress().getPort();
  }

  @Test
  void withTwoWebserversACallFailsOverToTheOtherAndTheApiNeverGoesDown() throws Exception {
    HttpServer other = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    AtomicInteger servedByOther = new AtomicInteger();
    other.createContext(
        "/api/v1/executions/search",
        exchange -> {
          servedByOther.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    other.start();
    // a webserver that is gone altogether: its connection refused
    HttpServer gone = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
    String goneUrl = "http://localhost:" + gone.getAddress().getPort();
    gone.stop(0);
    try {
      ApiProbe probe =
          new ApiProbe(List.of(url(), goneUrl, "http://localhost:" + other.getAddress().getPort()))
              .start();
      Poll.until("a first success", Duration.ofSeconds(30), () -> probe.result().requests() >= 2);
      assertThat(servedByOther.get()).as("the first webserver answers while it is up").isZero();

      up.set(false);
      Poll.until(
          "calls served by the last, past the refused one",
          Duration.ofSeconds(30),
          () -> servedByOther.get() >= 3);
      probe.close();

      assertThat(probe.result().failed()).isZero();
      assertThat(probe.result().downtimeMs()).isZero();
    } finally {
      other.stop(0);
    }
  }

  @Test
  void outageCountsFromTheFirstFailedCallToTheNextSuccess() throws Exception {
    ApiProbe probe = new ApiProbe(List.of(url())).start();
    Poll.until("a first success", Duration.ofSeconds(30), () -> probe.result().requests() >= 2);

    up.set(false);
    Poll.until("three failed calls", Duration.ofSeconds(30), () -> probe.result().failed() >= 3);
    long failedWhileDown = probe.result().failed();
    up.set(true);
    long requestsWhenBack = probe.result().requests();
    Poll.until(
        "calls that succeed again",
        Duration.ofSeconds(30),
        () -> probe.result().requests() >= requestsWhenBack + 3);
    probe.close();

    Summary.Probe result = probe.result();
    assertThat(result.failed()).isBetween(failedWhileDown, failedWhileDown + 1);
    // three failed calls 50 ms apart: the outage lasted at least the two periods between them
    assertThat(result.longestOutageMs()).isGreaterThanOrEqualTo(100);
    assertThat(result.downtimeMs()).isEqualTo(result.longestOutageMs());
  }

  @Test
  void outageStillOpenAtCloseCountsUpToTheClose() throws Exception {
    up.set(false);
    ApiProbe probe = new ApiProbe(List.of(url())).start();
    Poll.until("two failed calls", Duration.ofSeconds(30), () -> probe.result().failed() >= 2);

    probe.close();

    Summary.Probe result = probe.result();
    assertThat(result.failed()).isEqualTo(result.requests());
    assertThat(result.downtimeMs()).isPositive().isEqualTo(result.longestOutageMs());
  }
}
