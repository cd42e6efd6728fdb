package io.kestra.upgrade.coordinator.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The webhooks: reads the events topic with a consumer group of its own ({@code webhooks} channel),
 * so that a notification is sent once per coordinator group, after the transition is committed and
 * published, and never holds an upgrade. Each notified transition ({@link WebhookMessage}) goes to
 * every {@code coordinator.webhooks.urls} as Slack-compatible JSON: {@code {"text": …, "event":
 * <the upgrade event>}}. A receiver still failing after its retries is logged and counted ({@code
 * kestra_upgrade_webhook_failures_total}); the next events go on.
 */
@ApplicationScoped
public class Webhooks {

  private static final Logger LOG = Logger.getLogger(Webhooks.class);

  private final List<URI> urls;
  private final WebhookSender sender;
  private final JsonCodec codec;
  private final Counter sent;
  private final Counter failed;

  public Webhooks(
      CoordinatorConfig config, WebhookSender sender, JsonCodec codec, MeterRegistry registry) {
    this.urls = config.webhooks().urls().orElse(List.of());
    this.sender = sender;
    this.codec = codec;
    this.sent =
        Counter.builder("kestra.upgrade.webhook.sent")
            .description("Webhook messages a receiver took")
            .register(registry);
    this.failed =
        Counter.builder("kestra.upgrade.webhook.failures")
            .description("Webhook messages a receiver did not take after every retry")
            .register(registry);
  }

  @Incoming("webhooks")
  @Blocking
  void on(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    if (urls.isEmpty()) {
      return;
    }
    Decoded<UpgradeEvent> decoded = codec.decode(record.value(), UpgradeEvent.class);
    if (!(decoded instanceof Decoded.Ok<UpgradeEvent> ok)) {
      return; // not an upgrade event of this contract: nothing to tell
    }
    Optional<String> text = WebhookMessage.textOf(ok.value());
    if (text.isEmpty()) {
      return;
    }
    ObjectNode body = codec.mapper().createObjectNode().put("text", text.get());
    body.set("event", codec.mapper().valueToTree(ok.value()));
    String json = body.toString();
    for (URI url : urls) {
      try {
        sender.post(url, json);
        sent.increment();
      } catch (WebhookSender.WebhookException e) {
        failed.increment();
        LOG.warnf(
            "webhook of upgrade %s (%s) not delivered: %s",
            ok.value().upgradeId(), ok.value().type(), e.getMessage());
      }
    }
  }
}
