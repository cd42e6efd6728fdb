package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.FailureReason;
import java.util.Map;
import java.util.Objects;

/**
 * The final answer to a command before it becomes an ack: status, reason, message and results.
 *
 * @param status SUCCEEDED, FAILED or REJECTED
 * @param reason why it failed or was rejected; {@code null} when it succeeded
 * @param message for humans
 * @param result the ack's result map
 */
record Outcome(AckStatus status, FailureReason reason, String message, Map<String, String> result) {

  Outcome {
    Objects.requireNonNull(status, "status");
    if (!status.isFinal()) {
      throw new IllegalArgumentException("an outcome is final, not " + status);
    }
    if ((reason == null) != (status == AckStatus.SUCCEEDED)) {
      throw new IllegalArgumentException("a reason goes with FAILED and REJECTED, and only there");
    }
    result = Map.copyOf(result);
  }

  static Outcome succeeded(String message, Map<String, String> result) {
    return new Outcome(AckStatus.SUCCEEDED, null, message, result);
  }

  static Outcome succeeded(String message) {
    return succeeded(message, Map.of());
  }

  static Outcome failed(FailureReason reason, String message) {
    return new Outcome(AckStatus.FAILED, reason, message, Map.of());
  }

  static Outcome rejected(FailureReason reason, String message) {
    return new Outcome(AckStatus.REJECTED, reason, message, Map.of());
  }
}
