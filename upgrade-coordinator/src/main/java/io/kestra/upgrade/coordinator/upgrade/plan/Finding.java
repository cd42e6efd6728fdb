package io.kestra.upgrade.coordinator.upgrade.plan;

/**
 * A preflight observation.
 *
 * @param severity ERROR findings refuse the upgrade; INFO findings explain a choice
 * @param code a stable code, e.g. {@code AGENT_NOT_READY}
 * @param message a sentence for the operator, naming the agents and versions involved
 */
public record Finding(Severity severity, String code, String message) {

  /** How much a finding weighs. */
  public enum Severity {
    ERROR,
    INFO
  }

  static Finding error(String code, String message) {
    return new Finding(Severity.ERROR, code, message);
  }

  static Finding info(String code, String message) {
    return new Finding(Severity.INFO, code, message);
  }
}
