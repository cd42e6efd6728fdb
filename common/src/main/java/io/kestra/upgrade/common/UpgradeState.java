package io.kestra.upgrade.common;

/**
 * The life of an upgrade: {@code PENDING → RUNNING → SUCCEEDED}, or {@code → FAILED}, or {@code →
 * ROLLING_BACK → ROLLED_BACK | ROLLBACK_FAILED}; {@code PAUSED} from RUNNING; {@code ABORTED}.
 */
public enum UpgradeState {
  PENDING,
  RUNNING,
  PAUSED,
  SUCCEEDED,
  FAILED,
  ROLLING_BACK,
  ROLLED_BACK,
  ROLLBACK_FAILED,
  ABORTED;

  /** Whether the upgrade is over: nothing more will happen to it. */
  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, FAILED, ROLLED_BACK, ROLLBACK_FAILED, ABORTED -> true;
      case PENDING, RUNNING, PAUSED, ROLLING_BACK -> false;
    };
  }
}
