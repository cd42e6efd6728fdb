package io.kestra.upgrade.coordinator.fleet;

import io.kestra.upgrade.common.Heartbeat;
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
 * Records the agents' heartbeats in the fleet registry. Retries and dead letters as {@code
 * AckConsumer}: a transient failure is retried a few times, a poison record is set aside at once.
 */
@ApplicationScoped
public class HeartbeatConsumer {

  private final IncomingRecords records;
  private final FleetService fleet;

  public HeartbeatConsumer(IncomingRecords records, FleetService fleet) {
    this.records = records;
    this.fleet = fleet;
  }

  @Incoming(Channels.HEARTBEATS)
  @Blocking
  @Retry(maxRetries = 5, delay = 200, jitter = 100, abortOn = PoisonMessageException.class)
  @ExponentialBackoff(maxDelay = 5_000)
  void onHeartbeat(ConsumerRecord<String, byte[]> record) {
    fleet.record(records.read(record, Heartbeat.class, Heartbeat::agentId));
  }
}
