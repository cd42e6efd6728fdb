package io.kestra.upgrade.coordinator.leader;

/**
 * A leader-only transaction found that this instance does not lead (any more): it is rolled back,
 * and nothing it would have written is.
 */
public class NotLeaderException extends RuntimeException {

  public NotLeaderException(String message) {
    super(message);
  }
}
