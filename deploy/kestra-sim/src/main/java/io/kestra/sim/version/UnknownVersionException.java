package io.kestra.sim.version;

/**
 * A version that does not follow Kestra's grammar or that the simulator's catalog does not hold.
 */
public final class UnknownVersionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the version and the known release lines. */
  public UnknownVersionException(String message) {
    super(message);
  }
}
