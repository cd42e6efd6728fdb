package io.kestra.upgrade.sandbox.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kestra.upgrade.common.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON-over-HTTP client for the coordinator's and the webserver's APIs. */
public final class Http {

  private static final ObjectMapper JSON = JsonCodec.create().mapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * An answer.
   *
   * @param status HTTP status
   * @param body the parsed JSON body (a missing node when the body is not JSON)
   */
  public record Answer(int status, JsonNode body) {}

  public Answer get(String url, Duration timeout) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build());
  }

  public Answer post(String url, Object body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build());
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = JSON.missingNode();
    }
    return new Answer(response.statusCode(), body == null ? JSON.missingNode() : body);
  }

  /** Whether {@code url} answers 200 now. */
  public boolean isOk(String url) {
    try {
      return get(url, Duration.ofSeconds(2)).status() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public static ObjectMapper json() {
    return JSON;
  }
}
