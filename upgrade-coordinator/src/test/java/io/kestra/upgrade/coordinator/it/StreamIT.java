package io.kestra.upgrade.coordinator.it;

import static io.kestra.upgrade.coordinator.it.Api.awaitRegistered;
import static io.kestra.upgrade.coordinator.it.Api.body;
import static io.kestra.upgrade.coordinator.it.Api.cluster;
import static io.kestra.upgrade.coordinator.it.Api.startUpgrade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.coordinator.api.Roles;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The live event streams over HTTP, read by a real HTTP client as a browser's EventSource would:
 * the current state first, the events as they happen, {@code Last-Event-ID} on reconnect, and the
 * heartbeat comments ({@code coordinator.stream.heartbeat-interval} is 1 s in tests).
 */
@QuarkusTest
@TestSecurity(user = "stream-it", roles = Roles.OPERATOR)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class StreamIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL base;

  private final HttpClient http = HttpClient.newHttpClient();

  /** An SSE event as read off the wire: its id (or null), its data, and comments before it. */
  record Sse(String id, JsonNode data, List<String> comments) {
    String type() {
      return data.path("type").asText();
    }
  }

  @Test
  void aStreamStartsWithTheCurrentStateThenSendsTheEventsLiveAndResumesAfterLastEventId()
      throws Exception {
    String cluster = cluster("stream");
    try (FakeFleet fleet = Api.smallFleet(cluster)) {
      fleet.on(
          fleet.id(ComponentKind.WORKER, "worker-1"), CommandType.STOP, FakeFleet.Behaviour.HOLD);
      fleet.start();
      awaitRegistered(cluster, 3);
      String id = startUpgrade(body(cluster, "1.0.0", "\"progressDeadline\":\"PT5M\""));
      await().atMost(Duration.ofSeconds(60)).until(() -> !fleet.held().isEmpty());

      // a late subscriber: the upgrade is draining
      CompletableFuture<List<Sse>> live =
          read(
              "api/v1/upgrades/" + id + "/stream",
              null,
              e -> e.type().endsWith(".upgrade.succeeded"));
      Thread.sleep(1_500); // subscribed, and at least one heartbeat
      fleet.release();
      List<Sse> events = live.get(60, TimeUnit.SECONDS);

      Sse snapshot = events.get(0);
      assertThat(snapshot.type()).isEqualTo("io.kestra.upgrade.upgrade.snapshot");
      assertThat(snapshot.id()).as("no place in the stream").isNull();
      assertThat(snapshot.data().path("data").path("id").asText()).isEqualTo(id);
      assertThat(snapshot.data().path("data").path("state").asText()).isEqualTo("RUNNING");
      List<Sse> numbered = events.subList(1, events.size());
      assertThat(numbered)
          .isNotEmpty()
          .allSatisfy(
              e -> {
                assertThat(e.data().path("specversion").asText()).isEqualTo("1.0");
                assertThat(e.data().path("source").asText())
                    .isEqualTo("/kestra-upgrade-coordinator");
                assertThat(e.data().path("time").asText()).isNotBlank();
                assertThat(e.data().path("data").path("upgradeId").asText()).isEqualTo(id);
                assertThat(e.data().path("id").asText())
                    .isEqualTo(e.data().path("data").path("messageId").asText());
              });
      assertThat(numbered.stream().map(e -> Long.parseLong(e.id())).toList()).isSorted();
      assertThat(numbered).extracting(Sse::type).contains("io.kestra.upgrade.step.succeeded");
      assertThat(events.stream().flatMap(e -> e.comments().stream())).contains("heartbeat");

      // a reconnect after the third event gets everything after it, and only that
      Sse third = numbered.get(2);
      List<Sse> resumed =
          read(
                  "api/v1/upgrades/" + id + "/stream",
                  third.id(),
                  e -> e.type().endsWith(".upgrade.succeeded"))
              .get(30, TimeUnit.SECONDS);
      assertThat(resumed.subList(1, resumed.size()))
          .extracting(Sse::id)
          .containsExactlyElementsOf(
              numbered.subList(3, numbered.size()).stream().map(Sse::id).toList());

      // the cluster's stream starts with its last upgrade
      List<Sse> clusterStream =
          read("api/v1/stream?cluster=" + cluster, null, e -> true).get(30, TimeUnit.SECONDS);
      assertThat(clusterStream.get(0).data().path("data").path("state").asText())
          .isEqualTo("SUCCEEDED");
    }
  }

  @Test
  void badInputIsRefusedBeforeAnyStream() throws Exception {
    assertThat(status("api/v1/upgrades/not-a-uuid/stream", null)).isEqualTo(400);
    assertThat(status("api/v1/upgrades/00000000-0000-4000-8000-000000000000/stream", null))
        .isEqualTo(404);
    assertThat(status("api/v1/stream", "soon")).isEqualTo(400);
  }

  private int status(String path, String lastEventId) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (lastEventId != null) {
      r.header("Last-Event-ID", lastEventId);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /**
   * Reads a stream until an event matches {@code until} (included), on a thread of its own; the
   * connection is then closed.
   */
  private CompletableFuture<List<Sse>> read(String path, String lastEventId, Predicate<Sse> until) {
    return CompletableFuture.supplyAsync(
        () -> {
          HttpRequest.Builder r =
              HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream");
          if (lastEventId != null) {
            r.header("Last-Event-ID", lastEventId);
          }
          List<Sse> events = new ArrayList<>();
          try {
            HttpResponse<java.io.InputStream> response =
                http.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/event-stream");
            try (BufferedReader in =
                new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
              String eventId = null;
              StringBuilder data = new StringBuilder();
              List<String> comments = new ArrayList<>();
              for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                  if (data.length() == 0) {
                    continue; // a comment alone: it goes with the next event
                  }
                  Sse e = new Sse(eventId, JSON.readTree(data.toString()), comments);
                  events.add(e);
                  if (until.test(e)) {
                    return events;
                  }
                  eventId = null;
                  data.setLength(0);
                  comments = new ArrayList<>();
                } else if (line.startsWith(":")) {
                  comments.add(line.substring(1).trim());
                } else if (line.startsWith("id:")) {
                  eventId = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                  data.append(line.substring(5).trim());
                }
              }
            }
          } catch (Exception e) {
            throw new IllegalStateException("reading " + path + " after " + events, e);
          }
          throw new IllegalStateException("the stream " + path + " ended after " + events);
        });
  }
}
