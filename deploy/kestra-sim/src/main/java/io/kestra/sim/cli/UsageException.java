package io.kestra.sim.cli;

/** A command line that Kestra would refuse; the process prints the message and exits 2. */
public final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public UsageException(String message) {
    super(message);
  }
}
