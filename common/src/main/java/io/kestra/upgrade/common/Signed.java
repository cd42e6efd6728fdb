package io.kestra.upgrade.common;

/**
 * A message that carries an HMAC-SHA256 signature by the key of the agent it concerns (see {@link
 * MessageSigner}, {@link AgentKeys}): commands to an agent, and the agent's acks and heartbeats.
 *
 * @param <T> the message type
 */
public interface Signed<T extends Signed<T>> extends Message {

  /** JSON name of the signature field, left out of what is signed. */
  String SIGNATURE_FIELD = "signature";

  /** The signature (hex), or {@code null} when the writer runs without keys. */
  String signature();

  /** This message with {@code signature} replaced. */
  T withSignature(String signature);
}
