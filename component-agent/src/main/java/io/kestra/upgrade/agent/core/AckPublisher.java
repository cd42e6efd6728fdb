package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Violations;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the agent's acks, signed with the agent's key, and publishes them on the acks topic, keyed
 * by agentId. A message (often a tool's output) is clipped to what the contract allows, so that the
 * coordinator never has to refuse an ack for its size.
 */
final class AckPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(AckPublisher.class);
  private static final long MAX_BACKOFF_MS = 10_000;

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final AgentId agentId;
  private final JsonCodec codec;
  private final Clock clock;
  private final Supplier<Observed> observed;
  private final Optional<MessageSigner> signer;

  /**
   * @param observed the component as seen now, put in every ack
   * @param signer the agent's key; empty only when the agent runs insecure
   */
  AckPublisher(
      Producer<String, byte[]> producer,
      String topic,
      AgentId agentId,
      JsonCodec codec,
      Clock clock,
      Supplier<Observed> observed,
      Optional<MessageSigner> signer) {
    this.producer = producer;
    this.topic = topic;
    this.agentId = agentId;
    this.codec = codec;
    this.clock = clock;
    this.observed = observed;
    this.signer = signer;
  }

  /** The agent whose acks these are. */
  AgentId agentId() {
    return agentId;
  }

  /** An ACCEPTED or PROGRESS ack, with a new messageId and the current observation. */
  Ack interim(String commandId, AckStatus status, String message) {
    return sign(
        new Ack(
            Message.SCHEMA_VERSION,
            UUID.randomUUID().toString(),
            commandId,
            agentId.toString(),
            status,
            null,
            Violations.clipMessage(message),
            observe(),
            Map.of(),
            clock.instant()));
  }

  /** The final ack of a command, with a new messageId and the current observation. */
  Ack finalAck(String commandId, Outcome outcome) {
    return sign(
        new Ack(
            Message.SCHEMA_VERSION,
            UUID.randomUUID().toString(),
            commandId,
            agentId.toString(),
            outcome.status(),
            outcome.reason(),
            Violations.clipMessage(outcome.message()),
            observe(),
            outcome.result(),
            clock.instant()));
  }

  private Ack sign(Ack ack) {
    return signer.map(s -> s.sign(ack)).orElse(ack);
  }

  /** An ack that is never journaled (a rejection of an unknown command type, a journal failure). */
  Ack unjournaled(String commandId, AckStatus status, FailureReason reason, String message) {
    return finalAck(commandId, new Outcome(status, reason, message, Map.of()));
  }

  /** Sends without waiting; interim acks are superseded by the next ones anyway. */
  void send(Ack ack) {
    producer.send(
        record(ack),
        (metadata, e) -> {
          if (e != null) {
            LOG.warn(
                "could not publish {} ack of command {} of agent {}",
                ack.status(),
                ack.commandId(),
                agentId,
                e);
          }
        });
  }

  /**
   * Sends and waits until the broker has it, retrying for as long as the broker is unreachable: the
   * final ack is what the coordinator waits for, and the command's record is committed only after
   * it. An error that retrying cannot cure is logged and given up.
   *
   * @throws InterruptedException when the agent closes meanwhile; the command's record then stays
   *     uncommitted and the ack is sent again from the journal at redelivery
   */
  void sendAndWait(Ack ack) throws InterruptedException {
    long backoffMs = 500;
    while (true) {
      try {
        producer.send(record(ack)).get(60, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          // the same record would fail the same way forever (too large, not authorised): a
          // blocked agent helps nobody, the coordinator's deadline will speak for this command
          LOG.error(
              "giving up publishing {} ack of command {} of agent {}",
              ack.status(),
              ack.commandId(),
              agentId,
              e);
          return;
        }
        LOG.warn(
            "could not publish {} ack of command {} of agent {}, retrying in {} ms",
            ack.status(),
            ack.commandId(),
            agentId,
            backoffMs,
            e);
      } catch (TimeoutException | KafkaException e) {
        LOG.warn(
            "could not publish {} ack of command {} of agent {}, retrying in {} ms",
            ack.status(),
            ack.commandId(),
            agentId,
            backoffMs,
            e);
      }
      Thread.sleep(backoffMs);
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
  }

  /** An ack goes out even when the driver cannot say how its server is. */
  private Observed observe() {
    try {
      return observed.get();
    } catch (RuntimeException e) {
      LOG.warn("agent {}: the driver could not observe its server", agentId, e);
      return Observed.unknown();
    }
  }

  private ProducerRecord<String, byte[]> record(Ack ack) {
    return new ProducerRecord<>(topic, agentId.toString(), codec.encode(ack));
  }
}
