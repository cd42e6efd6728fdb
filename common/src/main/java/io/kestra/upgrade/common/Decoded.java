package io.kestra.upgrade.common;

/**
 * The outcome of decoding a record: the message, or a typed error that a consumer logs, sets aside
 * and skips.
 *
 * @param <T> the message type
 */
public sealed interface Decoded<T> {

  /** A well-formed message. */
  record Ok<T>(T value) implements Decoded<T> {}

  /** A record that is not a valid message of the expected type; {@code error} says why. */
  record Malformed<T>(String error) implements Decoded<T> {}
}
