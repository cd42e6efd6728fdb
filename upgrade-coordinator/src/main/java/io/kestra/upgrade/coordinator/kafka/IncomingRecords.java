package io.kestra.upgrade.coordinator.kafka;

import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Message;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the agents' records: decoded by the contracts' codec, and keyed by their agent. */
@ApplicationScoped
public class IncomingRecords {

  private final JsonCodec codec;

  public IncomingRecords(JsonCodec codec) {
    this.codec = codec;
  }

  /**
   * The message of a record of an agent's topic (acks, heartbeats).
   *
   * @param agentIdOf the agent the message says it comes from
   * @throws PoisonMessageException when it does not decode, names no valid agent, or its key is not
   *     that agent's id
   */
  public <T extends Message> T read(
      ConsumerRecord<String, byte[]> record, Class<T> type, Function<T, String> agentIdOf) {
    Decoded<T> decoded = codec.decode(record.value(), type);
    if (decoded instanceof Decoded.Malformed<T> malformed) {
      throw new PoisonMessageException(malformed.error());
    }
    T message = ((Decoded.Ok<T>) decoded).value();
    String agentId = agentIdOf.apply(message);
    try {
      AgentId.parse(agentId);
    } catch (IllegalArgumentException e) {
      throw new PoisonMessageException("invalid agentId: " + e.getMessage());
    }
    if (!agentId.equals(record.key())) {
      throw new PoisonMessageException(
          "record key '" + record.key() + "' differs from the message's agentId '" + agentId + "'");
    }
    return message;
  }
}
