package io.kestra.sim.http;

/** A port this server must bind is taken: the server cannot start. */
public final class PortInUseException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Creates the exception naming the port. */
  public PortInUseException(String message, Throwable cause) {
    super(message, cause);
  }
}
