package io.kestra.upgrade.coordinator.inbox;

import io.kestra.upgrade.coordinator.kafka.Channels;
import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The coordinator's inbox, the counterpart of its outbox: consumes what the agents publish: acks,
 * applied to the upgrades, and heartbeats, recorded in the fleet registry; each channel one record
 * at a time, in the order of its partition, its offset committed once the record is applied.
 *
 * <p>A record that cannot be applied is retried only when the cause may pass: the database is out
 * ({@link DatabaseUnavailableException}: down, paused, a lost connection, a time-out), up to 10
 * times with a back-off doubling from half a second to 10 s (about a minute in all). Anything else
 * is poison at once, never retried: it does not decode, it says it comes from another agent than
 * its key ({@link PoisonMessageException}), it breaks a constraint or is a bug. Either way, in the
 * end the channel's dead-letter strategy copies it to {@code <prefix>.dead-letter} with the reason,
 * and the consumer moves on.
 */
@ApplicationScoped
public class AgentChannels {

  private final RecordApplier applier;
  private final DeadLetters deadLetters;

  public AgentChannels(RecordApplier applier, DeadLetters deadLetters) {
    this.applier = applier;
    this.deadLetters = deadLetters;
  }

  @Incoming(Channels.ACKS)
  @Blocking
  void onAck(ConsumerRecord<String, byte[]> record) {
    deadLetters.counting(Channels.ACKS, () -> applier.applyAck(record));
  }

  @Incoming(Channels.HEARTBEATS)
  @Blocking
  void onHeartbeat(ConsumerRecord<String, byte[]> record) {
    deadLetters.counting(Channels.HEARTBEATS, () -> applier.recordHeartbeat(record));
  }
}
