package io.kestra.sim.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny HTTP client for the tests. */
final class Http {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Status and body of a response. */
  record Response(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }

  private Http() {}

  static Response get(int port, String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(port, path)).GET());
  }

  static Response post(int port, String path) throws IOException {
    return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** A POST with HTTP basic credentials. */
  static Response post(int port, String path, String user, String password) throws IOException {
    String basic =
        java.util.Base64.getEncoder()
            .encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return send(
        HttpRequest.newBuilder(uri(port, path))
            .header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** The status, or -1 when nothing answers on the port. */
  static int status(int port, String path) {
    try {
      return get(port, path).status();
    } catch (IOException e) {
      return -1;
    }
  }

  private static URI uri(int port, String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private static Response send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<String> r =
          CLIENT.send(
              request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
