package io.kestra.upgrade.agent.driver;

import io.kestra.upgrade.common.FailureReason;
import java.util.Objects;

/**
 * A driver operation that did not reach its outcome. The reason tells the coordinator what comes
 * next (see {@link FailureReason#retryable()}); the message tells a human what happened, e.g. the
 * tail of the server's log.
 */
public class DriverException extends Exception {

  private final FailureReason reason;

  public DriverException(FailureReason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public DriverException(FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the operation failed. */
  public FailureReason reason() {
    return reason;
  }
}
