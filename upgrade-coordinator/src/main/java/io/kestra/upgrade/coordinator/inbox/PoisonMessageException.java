package io.kestra.upgrade.coordinator.inbox;

/**
 * A record that can never be applied, however often it is retried (it does not decode, or it says
 * it comes from another agent than its key): the consumers do not retry it, and the channel's
 * dead-letter strategy sets it aside on {@code <prefix>.dead-letter} with this message as its
 * {@code dead-letter-reason}.
 */
public class PoisonMessageException extends RuntimeException {

  public PoisonMessageException(String message) {
    super(message);
  }
}
