package io.kestra.upgrade.common;

/**
 * The envelope every value on the product's topics carries.
 *
 * <p>{@code messageId} is unique per message (a redelivered record keeps it, so consumers use it to
 * apply a message once); {@code schemaVersion} is the contract version, now {@value
 * #SCHEMA_VERSION}; {@code key} is the aggregate id used as the Kafka key.
 */
public interface Message {

  /**
   * The contract version this code writes. Readers accept it and newer ones (unknown fields are
   * ignored).
   */
  int SCHEMA_VERSION = 1;

  /** Unique id of this message. */
  String messageId();

  /** Contract version of this message. */
  int schemaVersion();

  /** The Kafka key: the agentId for commands, acks and heartbeats, the upgradeId for events. */
  String key();
}
