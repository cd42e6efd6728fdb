package io.kestra.upgrade.coordinator.kafka;

import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.messaging.TopicAdmin;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Creates the product's topics when they are missing (the heartbeats topic compacted), waiting for
 * the broker up to {@code coordinator.kafka.startup-timeout}.
 *
 * <p>It observes start-up before SmallRye Reactive Messaging wires its channels (at {@code
 * LIBRARY_BEFORE}): a consumer subscribing first would have the broker auto-create the topics with
 * its defaults, and the heartbeats topic would not be compacted.
 */
@ApplicationScoped
public class KafkaTopicsSetup {

  private static final Logger LOG = Logger.getLogger(KafkaTopicsSetup.class);

  private final CoordinatorConfig config;
  private final Topics topics;

  public KafkaTopicsSetup(CoordinatorConfig config, Topics topics) {
    this.config = config;
    this.topics = topics;
  }

  void ensureTopics(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    CoordinatorConfig.Kafka kafka = config.kafka();
    Instant giveUp = Instant.now().plus(kafka.startupTimeout());
    while (true) {
      try {
        TopicAdmin.ensureTopics(
            kafka.bootstrapServers(), topics, kafka.partitions(), kafka.replicationFactor());
        return;
      } catch (IllegalStateException e) {
        if (Instant.now().isAfter(giveUp)) {
          throw e;
        }
        LOG.warnf(
            "Kafka at %s not reachable yet (%s); retrying",
            kafka.bootstrapServers(), e.getMessage());
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
