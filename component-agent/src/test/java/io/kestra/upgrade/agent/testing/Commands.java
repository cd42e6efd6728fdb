package io.kestra.upgrade.agent.testing;

import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Builds and publishes commands the way the coordinator does. */
public final class Commands {

  private static final JsonCodec CODEC = JsonCodec.create();

  private Commands() {}

  /** A command valid for five minutes. */
  public static Command command(
      AgentId agent, CommandType type, String targetVersion, Map<String, String> params) {
    return command(agent, type, targetVersion, params, Instant.now().plus(Duration.ofMinutes(5)));
  }

  public static Command command(
      AgentId agent,
      CommandType type,
      String targetVersion,
      Map<String, String> params,
      Instant expiresAt) {
    Instant now = Instant.now();
    return new Command(
        Message.SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        agent.toString(),
        type,
        targetVersion,
        params,
        now.isBefore(expiresAt) ? now : expiresAt.minusSeconds(60),
        expiresAt,
        null);
  }

  /** Publishes {@code command} keyed with its agentId, and waits until the broker has it. */
  public static void publish(Producer<String, byte[]> producer, String topic, Command command) {
    send(producer, new ProducerRecord<>(topic, command.agentId(), CODEC.encode(command)));
  }

  /**
   * Publishes raw bytes (to one partition, to order them against other records there).
   *
   * @return where the broker put the record
   */
  public static RecordMetadata send(
      Producer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
    try {
      return producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot publish to " + record.topic(), e);
    }
  }

  public static byte[] encode(Command command) {
    return CODEC.encode(command);
  }
}
