package io.kestra.upgrade.coordinator.upgrade;

/**
 * What an operator asks of an upgrade through the API.
 *
 * @param kind the control
 * @param restore for ROLLBACK of a SUCCEEDED upgrade: the consent to restore its backup
 * @param who the operator, as authenticated (recorded in the control's event)
 */
public record OperatorControl(Kind kind, boolean restore, String who) {

  /** The controls. */
  public enum Kind {
    PAUSE,
    RESUME,
    ABORT,
    ROLLBACK
  }
}
