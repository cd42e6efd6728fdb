package io.kestra.upgrade.messaging;

import io.kestra.upgrade.common.DeadLetterHeaders;
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
 * Copies records that cannot be handled to the dead-letter topic, so that nothing is lost and
 * nothing blocks a consumer. A copy reads like one written by SmallRye Reactive Messaging's {@code
 * dead-letter-queue} failure strategy, which the coordinator uses: the key, value and headers as
 * received, plus the {@link DeadLetterHeaders} saying where the record came from and why it was set
 * aside.
 */
public final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final Producer<String, byte[]> producer;
  private final String topic;

  /**
   * @param topic the dead-letter topic
   */
  public DeadLetters(Producer<String, byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  /**
   * Logs the record with its offset and copies it to the dead-letter topic, waiting until the
   * broker has the copy.
   *
   * @param failure why it is set aside: its message is the reason, its class and its cause are
   *     named in the headers
   */
  public void setAside(ConsumerRecord<String, byte[]> record, Throwable failure) {
    LOG.warn(
        "setting aside record {}-{}@{} (key {}): {}",
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        failure.toString());
    try {
      producer.send(copy(topic, record, failure)).get(30, TimeUnit.SECONDS);
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

  /** The copy of {@code record} for the dead-letter topic {@code topic}. */
  static ProducerRecord<String, byte[]> copy(
      String topic, ConsumerRecord<String, byte[]> record, Throwable failure) {
    ProducerRecord<String, byte[]> copy = new ProducerRecord<>(topic, record.key(), record.value());
    add(copy, DeadLetterHeaders.EXCEPTION_CLASS, failure.getClass().getName());
    add(copy, DeadLetterHeaders.REASON, message(failure));
    Throwable cause = failure.getCause();
    if (cause != null) {
      add(copy, DeadLetterHeaders.CAUSE_CLASS, cause.getClass().getName());
      add(copy, DeadLetterHeaders.CAUSE, message(cause));
    }
    add(copy, DeadLetterHeaders.TOPIC, record.topic());
    add(copy, DeadLetterHeaders.PARTITION, Integer.toString(record.partition()));
    add(copy, DeadLetterHeaders.OFFSET, Long.toString(record.offset()));
    record.headers().forEach(header -> copy.headers().add(header));
    return copy;
  }

  private static String message(Throwable failure) {
    // an exception without a message still says what it is
    return failure.getMessage() != null ? failure.getMessage() : failure.toString();
  }

  private static void add(ProducerRecord<String, byte[]> record, String name, String value) {
    record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
