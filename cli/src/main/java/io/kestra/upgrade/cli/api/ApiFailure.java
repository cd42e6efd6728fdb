package io.kestra.upgrade.cli.api;

import io.kestra.upgrade.cli.ExitCodes;
import java.util.List;

/**
 * The coordinator did not do what was asked: unreachable, not authorised, refused, or an upgrade
 * that does not exist. Carries the command line's exit code for it and the lines that say why.
 */
public final class ApiFailure extends RuntimeException {

  private final int exitCode;
  private final int status;
  private final List<String> details;

  ApiFailure(int exitCode, int status, String message, List<String> details) {
    super(message);
    this.exitCode = exitCode;
    this.status = status;
    this.details = List.copyOf(details);
  }

  /** The coordinator cannot be reached at all. */
  static ApiFailure unreachable(String server, Exception cause) {
    String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ApiFailure(
        ExitCodes.UNREACHABLE,
        0,
        "the coordinator at " + server + " cannot be reached (" + why + ")",
        List.of("set --server or KESTRA_UPGRADE_SERVER to its URL"));
  }

  /**
   * An answer other than 2xx: 401/403 are a missing or weaker token, 400/409/422 a refusal, 404
   * nothing there, anything else the coordinator's own error.
   */
  static ApiFailure of(int status, String message, List<String> errors) {
    int exit =
        switch (status) {
          case 401, 403 -> ExitCodes.UNREACHABLE;
          case 400, 409, 422 -> ExitCodes.REFUSED;
          default -> ExitCodes.ERROR;
        };
    String lead =
        switch (status) {
          case 401 -> "not authorised (401): give a token with --token or KESTRA_UPGRADE_TOKEN";
          case 403 -> "forbidden (403): the token's role does not allow this";
          default -> "the coordinator answered " + status;
        };
    return new ApiFailure(exit, status, message == null ? lead : lead + ": " + message, errors);
  }

  /** The command line's exit code for this failure ({@link ExitCodes}). */
  public int exitCode() {
    return exitCode;
  }

  /** The HTTP status, 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** The precise errors the coordinator listed (one per field or finding), maybe none. */
  public List<String> details() {
    return details;
  }
}
