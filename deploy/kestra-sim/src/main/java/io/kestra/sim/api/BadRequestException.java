package io.kestra.sim.api;

/** A request the API refuses with 400 and the message. */
final class BadRequestException extends Exception {

  private static final long serialVersionUID = 1L;

  BadRequestException(String message) {
    super(message);
  }
}
