package io.kestra.upgrade.common;

import java.util.List;

/**
 * The envelope every value on the product's topics carries.
 *
 * <p>{@code messageId} is unique per message (a redelivered record keeps it, so consumers use it to
 * apply a message once); {@code schemaVersion} is the contract version of its writer, now {@value
 * #SCHEMA_VERSION}; {@code key} is the aggregate id used as the Kafka key.
 */
public interface Message {

  /**
   * The contract version this code writes. Version 2 signs acks and heartbeats with the agent's own
   * key and validates every field at decode time.
   */
  int SCHEMA_VERSION = 2;

  /**
   * The oldest contract version this code can talk to: the coordinator refuses (at preflight) a
   * fleet with an agent of an older one, naming it; a newer writer is read (unknown fields are
   * ignored) and its signature still verifies.
   */
  int OLDEST_SUPPORTED_SCHEMA_VERSION = 2;

  /** Unique id of this message. */
  String messageId();

  /** Contract version of this message's writer. */
  int schemaVersion();

  /** The Kafka key: the agentId for commands, acks and heartbeats, the upgradeId for events. */
  String key();

  /**
   * What is wrong with this message by the contract's rules (ids, sizes, characters, timestamps in
   * range), one sentence per problem naming the field; empty when it is valid. {@link JsonCodec}
   * refuses a message with problems at decode time.
   */
  List<String> violations();

  /** Whether this message's writer speaks a contract version this code can talk to. */
  default boolean isSupportedVersion() {
    return schemaVersion() >= OLDEST_SUPPORTED_SCHEMA_VERSION;
  }
}
