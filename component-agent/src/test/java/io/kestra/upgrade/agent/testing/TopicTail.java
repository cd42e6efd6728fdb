package io.kestra.upgrade.agent.testing;

import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.messaging.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads everything published on one topic since the tail was opened (from the beginning of the
 * topic), decoding values; each {@link #poll} adds what arrived since.
 */
public final class TopicTail<T> implements AutoCloseable {

  private final KafkaConsumer<String, byte[]> consumer;
  private final Class<T> type;
  private final JsonCodec codec = JsonCodec.create();
  private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

  public TopicTail(String bootstrapServers, String topic, Class<T> type) {
    this.type = type;
    String group = "tail-" + UUID.randomUUID();
    consumer = KafkaClients.consumer(bootstrapServers, group, group, "earliest");
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Every record so far. */
  public synchronized List<ConsumerRecord<String, byte[]>> records() {
    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    return List.copyOf(records);
  }

  /** Every decodable value so far whose record matches {@code filter}, in arrival order. */
  public synchronized List<T> values(Predicate<ConsumerRecord<String, byte[]>> filter) {
    List<T> values = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records()) {
      if (filter.test(record) && codec.decode(record.value(), type) instanceof Decoded.Ok<T> ok) {
        values.add(ok.value());
      }
    }
    return values;
  }

  /** Values of records keyed {@code key}. */
  public List<T> valuesKeyed(String key) {
    return values(record -> key.equals(record.key()));
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
