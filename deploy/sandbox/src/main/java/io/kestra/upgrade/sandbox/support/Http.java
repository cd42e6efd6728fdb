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
import java.util.function.Supplier;

/** A small JSON-over-HTTP client for the coordinator's and the webserver's APIs. */
public final class Http {

  private static final ObjectMapper JSON = JsonCodec.create().mapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Supplier<String> bearer;

  /** A client that sends no credentials (a Kestra server, a health probe). */
  public Http() {
    this(null);
  }

  /**
   * A client that sends {@code Authorization: Bearer <token>} with every request, the token read
   * from {@code bearer} at each request (a renewed token file is picked up; {@code null}: none yet,
   * the request goes without).
   */
  public Http(Supplier<String> bearer) {
    this.bearer = bearer;
  }

  /**
   * An answer.
   *
   * @param status HTTP status
   * @param body the parsed JSON body (a missing node when the body is not JSON)
   */
  public record Answer(int status, JsonNode body) {}

  public Answer get(String url, Duration timeout) throws IOException, InterruptedException {
    return send(authorized(HttpRequest.newBuilder(URI.create(url))).timeout(timeout).GET().build());
  }

  public Answer delete(String url) throws IOException, InterruptedException {
    return send(
        authorized(HttpRequest.newBuilder(URI.create(url)))
            .timeout(Duration.ofSeconds(30))
            .DELETE()
            .build());
  }

  public Answer post(String url, Object body) throws IOException, InterruptedException {
    return send(
        authorized(HttpRequest.newBuilder(URI.create(url)))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build());
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    String token = bearer == null ? null : bearer.get();
    return token == null ? request : request.header("Authorization", "Bearer " + token);
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
