package io.kestra.upgrade.messaging;

import io.kestra.upgrade.common.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the product's topics when they are missing. Both coordinator and agents call it at start,
 * so neither depends on the other having started first.
 */
public final class TopicAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

  private TopicAdmin() {}

  /**
   * Creates every missing topic of {@code topics}; existing topics are left as they are.
   *
   * @param partitions partitions of the keyed topics (the dead-letter topic has one)
   * @param replicationFactor replication factor of every topic
   * @throws IllegalStateException when the broker cannot be reached or refuses
   */
  public static void ensureTopics(
      String bootstrapServers, Topics topics, int partitions, short replicationFactor) {
    ensureTopics(
        KafkaClients.bootstrapOnly(bootstrapServers), topics, partitions, replicationFactor);
  }

  /**
   * As {@link #ensureTopics(String, Topics, int, short)}, with the operator's client properties
   * (security, SASL, TLS) besides {@code bootstrap.servers}.
   */
  public static void ensureTopics(
      Map<String, String> clientProperties,
      Topics topics,
      int partitions,
      short replicationFactor) {
    String bootstrapServers = clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = KafkaClients.admin(clientProperties)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (NewTopic topic : layout(topics, partitions, replicationFactor)) {
        if (!existing.contains(topic.name())) {
          missing.add(topic);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
          LOG.info("created topic {}", entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create the topics on " + bootstrapServers, e);
    }
  }

  static List<NewTopic> layout(Topics topics, int partitions, short rf) {
    return List.of(
        new NewTopic(topics.commands(), partitions, rf),
        new NewTopic(topics.acks(), partitions, rf),
        // compacted: the latest heartbeat of every agent stays, older ones go
        new NewTopic(topics.heartbeats(), partitions, rf)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.SEGMENT_MS_CONFIG,
                    "3600000")),
        new NewTopic(topics.events(), partitions, rf),
        new NewTopic(topics.deadLetter(), 1, rf));
  }
}
