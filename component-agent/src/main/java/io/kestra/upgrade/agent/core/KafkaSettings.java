package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.common.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the agent talks to the coordinator.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topics the installation's topic names
 * @param partitions partitions of the keyed topics, used only when the agent creates missing topics
 * @param replicationFactor replication factor, used only when the agent creates missing topics
 * @param clientProperties what every Kafka client of the agent (producers, consumer, admin) is
 *     given: Kafka's own client properties ({@code security.protocol}, {@code sasl.*}, {@code
 *     ssl.*}, ...), always with {@code bootstrap.servers}; those a guarantee of the product rests
 *     on are refused when set otherwise (see {@code KafkaClients})
 */
public record KafkaSettings(
    String bootstrapServers,
    Topics topics,
    int partitions,
    short replicationFactor,
    Map<String, String> clientProperties) {

  private static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

  public KafkaSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topics, "topics");
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("partitions and replication factor must be at least 1");
    }
    Map<String, String> client = new HashMap<>(clientProperties);
    client.put(BOOTSTRAP_SERVERS, bootstrapServers);
    clientProperties = Map.copyOf(client);
  }

  /** Settings with no client property besides {@code bootstrap.servers}. */
  public KafkaSettings(
      String bootstrapServers, Topics topics, int partitions, short replicationFactor) {
    this(bootstrapServers, topics, partitions, replicationFactor, Map.of());
  }
}
