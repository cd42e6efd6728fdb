package io.kestra.upgrade.messaging;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The partition a keyed record goes to, computed exactly as the Kafka producer's default
 * partitioner does: the key serialized as the product's producers serialize it (UTF-8, {@link
 * StringSerializer}), then {@link BuiltInPartitioner#partitionForKey} (murmur2, made positive,
 * modulo the partition count). A consumer that reads only the commands of one key reads only that
 * partition.
 */
public final class KeyPartitions {

  private KeyPartitions() {}

  /**
   * @param partitions the topic's partition count, at least 1
   */
  public static int partitionOf(String key, int partitions) {
    if (key == null) {
      throw new IllegalArgumentException("a record without a key has no partition of its own");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
    }
    try (StringSerializer serializer = new StringSerializer()) {
      return BuiltInPartitioner.partitionForKey(serializer.serialize(null, key), partitions);
    }
  }
}
