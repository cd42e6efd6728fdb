package io.kestra.upgrade.coordinator.inbox;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.common.Signed;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import io.kestra.upgrade.coordinator.security.AgentKeyring;
import io.kestra.upgrade.coordinator.upgrade.AckService;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The records' work, retried by its own interceptor: what escapes it, once retries are over, goes
 * to the dead-letter topic ({@link DeadLetters} counts it).
 */
@ApplicationScoped
public class RecordApplier {

  private final JsonCodec codec;
  private final AckService acks;
  private final FleetService fleet;
  private final AgentKeyring keyring;

  public RecordApplier(JsonCodec codec, AckService acks, FleetService fleet, AgentKeyring keyring) {
    this.codec = codec;
    this.acks = acks;
    this.fleet = fleet;
    this.keyring = keyring;
  }

  @Retry(maxRetries = 10, delay = 500, jitter = 100, retryOn = DatabaseUnavailableException.class)
  @ExponentialBackoff(maxDelay = 10_000)
  public void applyAck(ConsumerRecord<String, byte[]> record) {
    acks.apply(read(record, Ack.class, Ack::agentId));
  }

  @Retry(maxRetries = 10, delay = 500, jitter = 100, retryOn = DatabaseUnavailableException.class)
  @ExponentialBackoff(maxDelay = 10_000)
  public void recordHeartbeat(ConsumerRecord<String, byte[]> record) {
    fleet.record(read(record, Heartbeat.class, Heartbeat::agentId));
  }

  /**
   * The message of an agent's record.
   *
   * @throws PoisonMessageException when it does not decode (or breaks the contract's rules), its
   *     key is not the agent's id, or it is not signed with that agent's key
   */
  private <T extends Message> T read(
      ConsumerRecord<String, byte[]> record, Class<T> type, Function<T, String> agentIdOf) {
    Decoded<T> decoded = codec.decode(record.value(), type);
    if (decoded instanceof Decoded.Malformed<T> malformed) {
      throw new PoisonMessageException(malformed.error());
    }
    T message = ((Decoded.Ok<T>) decoded).value();
    String agentId = agentIdOf.apply(message);
    if (!agentId.equals(record.key())) {
      throw new PoisonMessageException(
          "record key '" + record.key() + "' differs from the message's agentId '" + agentId + "'");
    }
    if (!message.isSupportedVersion()) {
      throw refused(
          message,
          "it speaks contract version "
              + message.schemaVersion()
              + ", and this coordinator talks to version "
              + Message.OLDEST_SUPPORTED_SCHEMA_VERSION
              + " and newer: upgrade the agent");
    }
    Optional<MessageSigner> signer = keyring.signerFor(agentId);
    if (signer.isPresent() && !signer.get().verify(record.value())) {
      throw refused(
          message,
          "its "
              + type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
              + (hasSignature(message)
                  ? " does not verify with its key: give it the key `kestra-upgrade agent-key "
                      + agentId
                      + "` prints"
                  : " is not signed: give it its key (agent.signing-key)"));
    }
    return message;
  }

  /**
   * Notes the refusal in the registry, so that preflight names the agent, and returns the poison
   * that sets the record aside.
   */
  private PoisonMessageException refused(Message message, String why) {
    String agentId = message.key();
    fleet.refuse(agentId, message instanceof Heartbeat hb ? hb : null, why);
    return new PoisonMessageException("refused a message of " + agentId + ": " + why);
  }

  private static boolean hasSignature(Message message) {
    return message instanceof Signed<?> signed && signed.signature() != null;
  }
}
