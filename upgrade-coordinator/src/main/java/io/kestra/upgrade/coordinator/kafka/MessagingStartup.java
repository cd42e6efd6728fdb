package io.kestra.upgrade.coordinator.kafka;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import io.kestra.upgrade.coordinator.outbox.OutboxRelay;
import io.kestra.upgrade.coordinator.upgrade.UpgradeService;
import io.kestra.upgrade.messaging.DeadLetters;
import io.kestra.upgrade.messaging.KafkaClients;
import io.kestra.upgrade.messaging.PoisonRecordException;
import io.kestra.upgrade.messaging.RecordLoop;
import io.kestra.upgrade.messaging.TopicAdmin;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Brings the Kafka side up in order: topics created when missing (waiting for the broker), then the
 * outbox relay, then the consumers of heartbeats and acks.
 */
@ApplicationScoped
public class MessagingStartup {

  private static final Logger LOG = Logger.getLogger(MessagingStartup.class);

  private final CoordinatorConfig config;
  private final Topics topics;
  private final JsonCodec codec;
  private final DeadLetters deadLetters;
  private final OutboxRelay relay;
  private final FleetService fleet;
  private final UpgradeService upgrades;
  private final List<RecordLoop<?>> loops = new ArrayList<>();

  public MessagingStartup(
      CoordinatorConfig config,
      Topics topics,
      JsonCodec codec,
      DeadLetters deadLetters,
      OutboxRelay relay,
      FleetService fleet,
      UpgradeService upgrades) {
    this.config = config;
    this.topics = topics;
    this.codec = codec;
    this.deadLetters = deadLetters;
    this.relay = relay;
    this.fleet = fleet;
    this.upgrades = upgrades;
  }

  void onStart(@Observes StartupEvent event) {
    ensureTopics();
    relay.start();
    loops.add(
        loop(
            topics.heartbeats(),
            Heartbeat.class,
            "upgrade-coordinator-heartbeats",
            this::onHeartbeat));
    loops.add(loop(topics.acks(), Ack.class, "upgrade-coordinator-acks", this::onAck));
  }

  void onStop(@Observes ShutdownEvent event) {
    loops.forEach(RecordLoop::close);
    relay.stop();
  }

  private CompletableFuture<Void> onHeartbeat(ConsumerRecord<String, byte[]> record, Heartbeat hb) {
    requireKeyIsAgent(record, hb.agentId());
    fleet.record(hb);
    return CompletableFuture.completedFuture(null);
  }

  private CompletableFuture<Void> onAck(ConsumerRecord<String, byte[]> record, Ack ack) {
    requireKeyIsAgent(record, ack.agentId());
    upgrades.applyAck(ack);
    return CompletableFuture.completedFuture(null);
  }

  private static void requireKeyIsAgent(ConsumerRecord<String, byte[]> record, String agentId) {
    try {
      AgentId.parse(agentId);
    } catch (IllegalArgumentException e) {
      throw new PoisonRecordException("invalid agentId: " + e.getMessage());
    }
    if (!agentId.equals(record.key())) {
      throw new PoisonRecordException(
          "record key '" + record.key() + "' differs from the message's agentId '" + agentId + "'");
    }
  }

  private <T> RecordLoop<T> loop(
      String topic, Class<T> type, String group, RecordLoop.Handler<T> handler) {
    RecordLoop<T> loop =
        RecordLoop.builder(topic, type)
            .consumer(
                KafkaClients.consumer(config.kafka().bootstrapServers(), group, group, "earliest"),
                group)
            .codec(codec)
            .deadLetters(deadLetters)
            .handler(handler)
            .build();
    loop.start(group);
    return loop;
  }

  private void ensureTopics() {
    Instant giveUp = Instant.now().plus(config.kafka().startupTimeout());
    while (true) {
      try {
        TopicAdmin.ensureTopics(
            config.kafka().bootstrapServers(),
            topics,
            config.kafka().partitions(),
            config.kafka().replicationFactor());
        return;
      } catch (IllegalStateException e) {
        if (Instant.now().isAfter(giveUp)) {
          throw e;
        }
        LOG.warnf(
            "Kafka at %s not reachable yet (%s); retrying",
            config.kafka().bootstrapServers(), e.getMessage());
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
