package io.kestra.upgrade.agent.driver;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Kestra Enterprise's instance maintenance API, as an agent beside a webserver drives it: {@code
 * POST /api/v1/instance/maintenance/enter} (or {@code exit}), then {@code GET .../status} until it
 * reads {@code maintenance} (or {@code operational}). A server that does not answer (restarting) or
 * answers 5xx is asked again every second until the time-out; 401, 403 and 404 (credentials
 * refused, or not an Enterprise server) fail at once. Both requests are idempotent, so asking again
 * after a lost answer is safe.
 */
public final class MaintenanceApi {

  /** The instance's state in maintenance, as {@code status} reads it. */
  static final String IN_MAINTENANCE = "maintenance";

  /** The instance's state out of maintenance. */
  static final String OPERATIONAL = "operational";

  private static final String PATH = "/api/v1/instance/maintenance/";
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final URI base;
  private final Optional<String> authorization;
  private final Duration timeout;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param base Kestra's API, e.g. {@code http://localhost:8080}
   * @param username with {@code password}, sent as HTTP basic credentials; none when empty
   * @param timeout how long a change may take to be confirmed
   */
  public MaintenanceApi(
      URI base,
      Optional<String> username,
      Optional<String> password,
      Duration timeout,
      Clock clock) {
    this.base = URI.create(base.toString().replaceAll("/+$", ""));
    this.authorization =
        username.map(
            u ->
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (u + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8)));
    this.timeout = timeout;
    this.clock = clock;
  }

  /** Where the API is, for messages. */
  public URI base() {
    return base;
  }

  /**
   * Enters or exits maintenance mode and waits until the status says so.
   *
   * @return what the status said beside it ({@code maintenanceDetails}), or an empty string
   * @throws DriverException {@link FailureReason#MAINTENANCE_FAILED} when refused, or not confirmed
   *     within the time-out
   */
  public String set(boolean enter, Progress progress) throws DriverException, InterruptedException {
    String wanted = enter ? IN_MAINTENANCE : OPERATIONAL;
    URI change = base.resolve(PATH + (enter ? "enter" : "exit"));
    Instant deadline = clock.instant().plus(timeout);
    String last = "nothing asked";
    boolean asked = false;
    while (true) {
      try {
        if (!asked) {
          HttpResponse<String> answer = send(post(change));
          refuseOnDenial(change, answer);
          asked = answer.statusCode() / 100 == 2;
          last = "POST " + change + " answered " + answer.statusCode();
        }
        if (asked) {
          HttpResponse<String> status = send(get(base.resolve(PATH + "status")));
          refuseOnDenial(change, status);
          if (status.statusCode() == 200) {
            JsonNode body = JsonCodec.create().mapper().readTree(status.body());
            String seen = body.path("status").asText();
            if (wanted.equals(seen)) {
              JsonNode details = body.path("maintenanceDetails");
              return details.isObject() ? details.toString() : "";
            }
            last = "the status still reads " + seen;
          } else {
            last = "GET status answered " + status.statusCode();
          }
        }
      } catch (IOException e) {
        last = "Kestra's API at " + base + " does not answer: " + e.getMessage();
      }
      if (!clock.instant().plus(RETRY).isBefore(deadline)) {
        throw new DriverException(
            FailureReason.MAINTENANCE_FAILED,
            "maintenance mode not "
                + (enter ? "entered" : "exited")
                + " within "
                + timeout
                + ": "
                + last);
      }
      progress.report((enter ? "entering" : "exiting") + " maintenance mode: " + last);
      Thread.sleep(RETRY.toMillis());
    }
  }

  private static void refuseOnDenial(URI uri, HttpResponse<String> answer) throws DriverException {
    int code = answer.statusCode();
    if (code == 401 || code == 403) {
      throw new DriverException(
          FailureReason.MAINTENANCE_FAILED,
          uri
              + " answered "
              + code
              + ": the credentials (agent.driver.maintenance.username and"
              + " password) are missing or refused");
    }
    if (code == 404) {
      throw new DriverException(
          FailureReason.MAINTENANCE_FAILED,
          uri + " answered 404: this Kestra has no maintenance API (an Enterprise feature)");
    }
  }

  private HttpRequest post(URI uri) {
    return request(uri).POST(HttpRequest.BodyPublishers.noBody()).build();
  }

  private HttpRequest get(URI uri) {
    return request(uri).GET().build();
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    authorization.ifPresent(a -> b.header("Authorization", a));
    return b;
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
