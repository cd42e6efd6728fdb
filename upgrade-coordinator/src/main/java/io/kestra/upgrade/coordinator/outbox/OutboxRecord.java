package io.kestra.upgrade.coordinator.outbox;

import java.time.Instant;
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
 * @param upgradeId the upgrade the record belongs to, or {@code null}: a command of an upgrade that
 *     has ended is not sent
 * @param expiresAt when a command expires (its {@code expiresAt}), or {@code null}: an expired
 *     command is not sent
 */
public record OutboxRecord(
    String topic,
    String key,
    byte[] payload,
    Map<String, String> headers,
    String upgradeId,
    Instant expiresAt) {

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
        && headers.equals(r.headers)
        && Objects.equals(upgradeId, r.upgradeId)
        && Objects.equals(expiresAt, r.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, key, Arrays.hashCode(payload), headers, upgradeId, expiresAt);
  }

  @Override
  public String toString() {
    return "OutboxRecord[" + topic + ", " + key + ", " + payload.length + " bytes]";
  }
}
