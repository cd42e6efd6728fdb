package io.kestra.upgrade.coordinator.upgrade.plan;

/**
 * A preflight observation.
 *
 * @param severity ERROR findings refuse the upgrade; WARNING findings allow it but say what to look
 *     out for; INFO findings explain a choice
 * @param code a stable code, e.g. {@code AGENT_NOT_READY}
 * @param message a sentence for the operator, naming the agents and versions involved
 */
public record Finding(Severity severity, String code, String message) {

  /** How much a finding weighs. */
  public enum Severity {
    ERROR,
    WARNING,
    INFO
  }

  static Finding error(String code, String message) {
    return new Finding(Severity.ERROR, code, message);
  }

  static Finding warning(String code, String message) {
    return new Finding(Severity.WARNING, code, message);
  }

  static Finding info(String code, String message) {
    return new Finding(Severity.INFO, code, message);
  }
}
