package io.kestra.upgrade.coordinator.outbox;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A Kafka record to publish, as the outbox keeps it.
 *
 * @param topic destination topic
 * @param key Kafka key
 * @param payload value bytes
 * @param headers Kafka headers
 */
public record OutboxRecord(String topic, String key, byte[] payload, Map<String, String> headers) {

  public OutboxRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(payload, "payload");
    headers = Map.copyOf(headers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutboxRecord r
        && topic.equals(r.topic)
        && key.equals(r.key)
        && Arrays.equals(payload, r.payload)
        && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, key, Arrays.hashCode(payload), headers);
  }

  @Override
  public String toString() {
    return "OutboxRecord[" + topic + ", " + key + ", " + payload.length + " bytes]";
  }
}
