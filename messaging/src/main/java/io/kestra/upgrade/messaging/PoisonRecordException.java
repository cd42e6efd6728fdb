package io.kestra.upgrade.messaging;

/**
 * Thrown by a {@link RecordLoop.Handler} for a well-formed record that can never be handled (it
 * names something that does not exist, for instance): the loop sets it aside on the dead-letter
 * topic and goes on. Any other exception is taken as transient and the record is retried.
 */
public class PoisonRecordException extends RuntimeException {

  public PoisonRecordException(String message) {
    super(message);
  }
}
