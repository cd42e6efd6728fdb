package io.kestra.upgrade.coordinator.inbox;

import io.kestra.upgrade.coordinator.outage.Judgement;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The heartbeats channel's rebalance listener: partitions assigned to this instance may have gone
 * unread for a while (their former consumer died, and its session had to expire), so the agents
 * keyed to them look silent in the database for no fault of theirs: judgement is held for one LOST
 * interval, time for their heartbeats to be read again.
 */
@ApplicationScoped
@Identifier(HeartbeatPartitions.NAME)
public class HeartbeatPartitions implements KafkaConsumerRebalanceListener {

  /** The listener's name, as {@code application.properties} gives it to the channel. */
  public static final String NAME = "coordinator-heartbeats-rebalance";

  private final Judgement judgement;

  public HeartbeatPartitions(Judgement judgement) {
    this.judgement = judgement;
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      judgement.hold("heartbeats partitions assigned: " + partitions);
    }
  }
}
