package io.kestra.upgrade.sandbox.stack;

/**
 * A part of the sandbox did not start: the command stops there, and the message says which part and
 * where its log is. Nothing is retried: every part is awaited with a generous deadline already.
 */
public final class StartFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StartFailedException(String message) {
    super(message);
  }

  public StartFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
