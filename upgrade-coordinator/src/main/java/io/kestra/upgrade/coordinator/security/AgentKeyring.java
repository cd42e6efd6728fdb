package io.kestra.upgrade.coordinator.security;

import io.kestra.upgrade.common.AgentKeys;
import io.kestra.upgrade.common.MessageSigner;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agents' keys, each derived from the coordinator's master key and the agent's id ({@link
 * AgentKeys}): commands to an agent are signed with its key, its acks and heartbeats must verify
 * with it. Without a master key (only when the coordinator is started explicitly insecure) nothing
 * is signed and nothing is checked.
 */
public final class AgentKeyring {

  private final Optional<String> masterKey;
  private final Map<String, MessageSigner> signers = new ConcurrentHashMap<>();

  private AgentKeyring(Optional<String> masterKey) {
    this.masterKey = masterKey;
  }

  /**
   * The keyring of {@code masterKey}.
   *
   * @throws IllegalArgumentException when the key is too short to be one
   */
  public static AgentKeyring of(String masterKey) {
    AgentKeys.requireMasterKey(masterKey);
    return new AgentKeyring(Optional.of(masterKey));
  }

  /** No keys: commands go unsigned and agents' messages are taken as they come. */
  public static AgentKeyring insecure() {
    return new AgentKeyring(Optional.empty());
  }

  /** Whether messages are signed and checked. */
  public boolean enabled() {
    return masterKey.isPresent();
  }

  /** The signer of {@code agentId}'s messages, unless the coordinator runs without keys. */
  public Optional<MessageSigner> signerFor(String agentId) {
    return masterKey.map(
        key ->
            signers.computeIfAbsent(agentId, id -> new MessageSigner(AgentKeys.derive(key, id))));
  }
}
