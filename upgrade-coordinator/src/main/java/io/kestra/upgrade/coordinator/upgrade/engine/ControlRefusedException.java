package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.UpgradeState;

/** An operator's control that the upgrade's state forbids (the API's 409). */
public final class ControlRefusedException extends RuntimeException {

  private final UpgradeState state;

  ControlRefusedException(UpgradeState state, String message) {
    super(message);
    this.state = state;
  }

  /** The upgrade's state, which forbids the control. */
  public UpgradeState state() {
    return state;
  }
}
