package io.kestra.upgrade.coordinator.outage;

/**
 * The coordinator's database cannot be reached or does not answer in time (down, paused,
 * overloaded, a connection lost): the work may succeed later, unchanged. The consumers retry it,
 * the API answers 503, the sweep holds its judgement.
 */
public class DatabaseUnavailableException extends RuntimeException {

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
