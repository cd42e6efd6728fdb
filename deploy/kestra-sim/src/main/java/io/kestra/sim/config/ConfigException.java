package io.kestra.sim.config;

/** A configuration that cannot be read or holds an invalid value: the server cannot start. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public ConfigException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
