package io.kestra.upgrade.messaging;

/**
 * A record whose value is not a valid message (not JSON, a missing field, an unknown type): it
 * would fail the same way at every attempt, so a {@link RecordLoop} sets it aside on the
 * dead-letter topic, where this class names the failure, and goes on.
 */
public class MalformedRecordException extends RuntimeException {

  /**
   * @param message what is wrong with the record, e.g. {@code not a valid Command at type: ...}
   */
  public MalformedRecordException(String message) {
    super(message);
  }
}
