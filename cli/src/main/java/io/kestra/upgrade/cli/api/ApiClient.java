package io.kestra.upgrade.cli.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kestra.upgrade.cli.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The coordinator's REST API as the command line uses it: JSON in and out, the bearer token on
 * every request, and every answer other than 2xx turned into an {@link ApiFailure} that says why
 * with the coordinator's own message and details.
 */
public final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI server;
  private final String token;
  private final HttpClient http;

  /**
   * @param server the coordinator's base URL, e.g. {@code http://localhost:8090}
   * @param token the bearer token, or {@code null} for none
   */
  public ApiClient(URI server, String token) {
    this.server = server;
    this.token = token == null || token.isBlank() ? null : token.trim();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The shared JSON mapper. */
  public static ObjectMapper json() {
    return JSON;
  }

  /** The coordinator's base URL. */
  public URI server() {
    return server;
  }

  /** {@code GET path}, its JSON body. */
  public JsonNode get(String path) {
    return send(request(path).GET().build());
  }

  /** {@code POST path} with {@code body} as JSON ({@code null}: no body), its JSON body. */
  public JsonNode post(String path, Object body) {
    String text;
    try {
      text = body == null ? "" : JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
    }
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(text))
            .build());
  }

  /**
   * Opens a Server-Sent Events stream, resuming after {@code lastEventId} when not {@code null};
   * the caller reads and closes the body.
   */
  InputStream openStream(String path, String lastEventId) {
    HttpRequest.Builder r = request(path).setHeader("Accept", "text/event-stream");
    if (lastEventId != null) {
      r.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> answer =
        exchange(r.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    if (answer.statusCode() / 100 != 2) {
      try (InputStream body = answer.body()) {
        throw failure(answer.statusCode(), body.readAllBytes());
      } catch (IOException e) {
        throw ApiFailure.of(answer.statusCode(), null, List.of());
      }
    }
    return answer.body();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder r =
        // relative to the server's URL, so that a coordinator behind a path prefix is reached
        HttpRequest.newBuilder(server.resolve(path.startsWith("/") ? path.substring(1) : path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json");
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return r;
  }

  private JsonNode send(HttpRequest request) {
    HttpResponse<byte[]> answer = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
    if (answer.statusCode() / 100 != 2) {
      throw failure(answer.statusCode(), answer.body());
    }
    try {
      byte[] body = answer.body();
      return body.length == 0 ? JSON.missingNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new ApiFailure(
          ExitCodes.ERROR,
          answer.statusCode(),
          "the coordinator's answer is not JSON: " + e.getMessage(),
          List.of());
    }
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw ApiFailure.unreachable(server.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiFailure(ExitCodes.ERROR, 0, "interrupted", List.of());
    }
  }

  /** The failure an error answer stands for, with the coordinator's message and details. */
  static ApiFailure failure(int status, byte[] body) {
    String message = null;
    List<String> details = new ArrayList<>();
    try {
      JsonNode error = JSON.readTree(body);
      if (error != null && error.isObject()) {
        message = error.path("message").isTextual() ? error.path("message").asText() : null;
        for (JsonNode d : error.path("details")) {
          details.add(detail(d));
        }
      }
    } catch (IOException e) {
      // not the API's error body (a proxy's page, say): the status alone says what happened
    }
    return ApiFailure.of(status, message, details);
  }

  /** A field error as it is, a preflight finding as {@code SEVERITY CODE: message}. */
  private static String detail(JsonNode d) {
    if (!d.isObject()) {
      return d.asText();
    }
    String severity = d.path("severity").asText("");
    String code = d.path("code").asText("");
    return (severity + " " + code).trim() + ": " + d.path("message").asText();
  }
}
