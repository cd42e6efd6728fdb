package io.kestra.upgrade.coordinator.notify;

import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * POSTs one message to one receiver, retried with a back-off doubling from 1 s to 30 s, 6 tries in
 * all (about a minute); a receiver that answers 2xx has it. The retry settings are SmallRye Fault
 * Tolerance's, overridable by configuration ({@code
 * io.kestra.upgrade.coordinator.notify.WebhookSender/post/Retry/maxRetries}, ...).
 */
@ApplicationScoped
public class WebhookSender {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Duration timeout;

  public WebhookSender(CoordinatorConfig config) {
    this.timeout = config.webhooks().timeout();
  }

  /**
   * @throws WebhookException when the receiver does not answer 2xx, once the tries are over
   */
  @Retry(maxRetries = 5, delay = 1000, jitter = 200, retryOn = WebhookException.class)
  @ExponentialBackoff(maxDelay = 30_000)
  public void post(URI url, String json) throws InterruptedException {
    try {
      HttpResponse<Void> answer =
          http.send(
              HttpRequest.newBuilder(url)
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (answer.statusCode() / 100 != 2) {
        throw new WebhookException(where(url) + " answered " + answer.statusCode());
      }
    } catch (IOException e) {
      throw new WebhookException(where(url) + " does not answer: " + e.getMessage());
    }
  }

  /** The receiver, without its path: a Slack webhook's path is its secret. */
  static String where(URI url) {
    return url.getScheme() + "://" + url.getAuthority();
  }

  /** A receiver that did not take the message. */
  public static final class WebhookException extends RuntimeException {
    WebhookException(String message) {
      super(message);
    }
  }
}
