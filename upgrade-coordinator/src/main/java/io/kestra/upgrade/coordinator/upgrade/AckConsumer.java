package io.kestra.upgrade.coordinator.upgrade;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.coordinator.kafka.Channels;
import io.kestra.upgrade.coordinator.kafka.IncomingRecords;
import io.kestra.upgrade.coordinator.kafka.PoisonMessageException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Applies the agents' acks, one at a time in the order of their partition. A record that cannot be
 * applied is retried a few times when the cause may pass (the database unreachable), never when it
 * cannot (a {@link PoisonMessageException}); then the channel's dead-letter strategy sets it aside
 * on {@code <prefix>.dead-letter} and the consumer moves on. Its offset is committed once applied.
 */
@ApplicationScoped
public class AckConsumer {

  private final IncomingRecords records;
  private final AckService acks;

  public AckConsumer(IncomingRecords records, AckService acks) {
    this.records = records;
    this.acks = acks;
  }

  @Incoming(Channels.ACKS)
  @Blocking
  @Retry(maxRetries = 5, delay = 200, jitter = 100, abortOn = PoisonMessageException.class)
  @ExponentialBackoff(maxDelay = 5_000)
  void onAck(ConsumerRecord<String, byte[]> record) {
    acks.apply(records.read(record, Ack.class, Ack::agentId));
  }
}
