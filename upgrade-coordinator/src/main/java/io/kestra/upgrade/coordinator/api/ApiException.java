package io.kestra.upgrade.coordinator.api;

import java.util.List;

/**
 * An error answered to a REST client as {@code {"error": code, "message": ..., "details": [...]}}.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final transient List<?> details;

  public ApiException(int status, String code, String message, List<?> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details == null ? List.of() : List.copyOf(details);
  }

  /** 400: the request itself is wrong; {@code problems} name the fields. */
  public static ApiException badRequest(List<String> problems) {
    return new ApiException(400, "INVALID_REQUEST", String.join("; ", problems), problems);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<?> details() {
    return details;
  }
}
