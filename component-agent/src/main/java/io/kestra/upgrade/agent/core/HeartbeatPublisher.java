package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.agent.driver.ComponentDriver;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.common.Observed;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes one heartbeat of the agent, signed, from the driver's cached observation. */
final class HeartbeatPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatPublisher.class);

  private final Producer<String, byte[]> producer;
  private final AgentSettings settings;
  private final ComponentDriver driver;
  private final JsonCodec codec;
  private final Clock clock;
  private final Supplier<String> currentCommandId;
  private final Optional<MessageSigner> signer;

  /**
   * @param signer the agent's key; empty only when the agent runs insecure
   */
  HeartbeatPublisher(
      Producer<String, byte[]> producer,
      AgentSettings settings,
      ComponentDriver driver,
      JsonCodec codec,
      Clock clock,
      Supplier<String> currentCommandId,
      Optional<MessageSigner> signer) {
    this.producer = producer;
    this.settings = settings;
    this.driver = driver;
    this.codec = codec;
    this.clock = clock;
    this.currentCommandId = currentCommandId;
    this.signer = signer;
  }

  /** Sends a heartbeat now; never throws, so that a scheduled run is never cancelled. */
  void publish() {
    try {
      Heartbeat heartbeat = heartbeat();
      producer.send(
          new ProducerRecord<>(
              settings.kafka().topics().heartbeats(), heartbeat.agentId(), codec.encode(heartbeat)),
          (metadata, e) -> {
            if (e != null) {
              LOG.warn("could not publish a heartbeat of agent {}", heartbeat.agentId(), e);
            }
          });
    } catch (RuntimeException e) {
      LOG.warn("could not publish a heartbeat of agent {}", settings.agentId(), e);
    }
  }

  Heartbeat heartbeat() {
    AgentId id = settings.agentId();
    Observed observed = driver.observe();
    Heartbeat heartbeat =
        new Heartbeat(
            Message.SCHEMA_VERSION,
            UUID.randomUUID().toString(),
            id.toString(),
            id.cluster(),
            id.kind(),
            id.instance(),
            settings.agentVersion(),
            driver.name(),
            settings.capabilities(),
            observed,
            driver.configuredGracePeriod().orElse(null),
            currentCommandId.get(),
            clock.instant());
    return signer.map(s -> s.sign(heartbeat)).orElse(heartbeat);
  }
}
