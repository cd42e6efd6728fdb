package io.kestra.upgrade.messaging;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies records that cannot be handled to the dead-letter topic, with headers saying where they
 * came from and why they were set aside, so that nothing is lost and nothing blocks a consumer.
 */
public final class DeadLetters {

  public static final String HEADER_TOPIC = "dlq.topic";
  public static final String HEADER_PARTITION = "dlq.partition";
  public static final String HEADER_OFFSET = "dlq.offset";
  public static final String HEADER_GROUP = "dlq.group";
  public static final String HEADER_ERROR = "dlq.error";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final Producer<String, byte[]> producer;
  private final String topic;

  public DeadLetters(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /** Logs the record with its offset and copies it to the dead-letter topic. */
  public void setAside(ConsumerRecord<String, byte[]> record, String group, String error) {
    LOG.warn(
        "setting aside record {}-{}@{} (key {}) of group {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        group,
        error);
    ProducerRecord<String, byte[]> copy = new ProducerRecord<>(topic, record.key(), record.value());
    copy.headers().add(HEADER_TOPIC, bytes(record.topic()));
    copy.headers().add(HEADER_PARTITION, bytes(Integer.toString(record.partition())));
    copy.headers().add(HEADER_OFFSET, bytes(Long.toString(record.offset())));
    copy.headers().add(HEADER_GROUP, bytes(group));
    copy.headers().add(HEADER_ERROR, bytes(error));
    try {
      producer.send(copy).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the record stays in its own topic at its offset, which the warning above names
      LOG.error(
          "could not copy {}-{}@{} to {}",
          record.topic(),
          record.partition(),
          record.offset(),
          topic,
          e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
