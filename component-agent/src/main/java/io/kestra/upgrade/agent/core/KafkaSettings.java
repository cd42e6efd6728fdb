package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.common.Topics;
import java.util.Objects;

/**
 * Where the agent talks to the coordinator.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topics the installation's topic names
 * @param partitions partitions of the keyed topics, used only when the agent creates missing topics
 * @param replicationFactor replication factor, used only when the agent creates missing topics
 */
public record KafkaSettings(
    String bootstrapServers, Topics topics, int partitions, short replicationFactor) {

  public KafkaSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topics, "topics");
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("partitions and replication factor must be at least 1");
    }
  }
}
