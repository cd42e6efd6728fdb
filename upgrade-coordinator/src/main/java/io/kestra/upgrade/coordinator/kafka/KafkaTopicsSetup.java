package io.kestra.upgrade.coordinator.kafka;

import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.messaging.TopicAdmin;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Creates the product's topics when they are missing (the heartbeats topic compacted), waiting for
 * the broker up to {@code coordinator.kafka.startup-timeout}.
 *
 * <p>It observes start-up before SmallRye Reactive Messaging wires its channels (at {@code
 * LIBRARY_BEFORE}): a consumer subscribing first would have the broker auto-create the topics with
 * its defaults, and the heartbeats topic would not be compacted.
 *
 * <p>Its admin client is given the same Kafka client properties as the channels (Quarkus's {@code
 * kafka.*} configuration: {@code security.protocol}, {@code sasl.*}, {@code ssl.*}): on a broker
 * that requires authentication, a bare admin client would be refused and start-up would time out.
 */
@ApplicationScoped
public class KafkaTopicsSetup {

  private static final Logger LOG = Logger.getLogger(KafkaTopicsSetup.class);

  private final CoordinatorConfig config;
  private final Topics topics;
  private final Map<String, String> clientProperties;

  public KafkaTopicsSetup(
      CoordinatorConfig config,
      Topics topics,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
    this.config = config;
    this.topics = topics;
    Map<String, String> client = new HashMap<>();
    kafkaConfig.forEach((k, v) -> client.put(k, String.valueOf(v)));
    client.put("bootstrap.servers", config.kafka().bootstrapServers());
    this.clientProperties = Map.copyOf(client);
  }

  void ensureTopics(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
    CoordinatorConfig.Kafka kafka = config.kafka();
    Instant giveUp = Instant.now().plus(kafka.startupTimeout());
    while (true) {
      try {
        TopicAdmin.ensureTopics(
            clientProperties, topics, kafka.partitions(), kafka.replicationFactor());
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
