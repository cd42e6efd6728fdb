package io.kestra.upgrade.common;

/**
 * The life of one step: {@code PENDING → SENT → RUNNING → SUCCEEDED | FAILED | TIMED_OUT}, or
 * {@code SKIPPED} when the upgrade ended before the step was sent. A step only moves forward.
 */
public enum StepState {
  PENDING,
  SENT,
  RUNNING,
  SUCCEEDED,
  FAILED,
  TIMED_OUT,
  SKIPPED;

  /** Whether the step is over. */
  public boolean isTerminal() {
    return ordinal() >= SUCCEEDED.ordinal();
  }

  /** Whether the step's command is out and not answered finally yet. */
  public boolean isInFlight() {
    return this == SENT || this == RUNNING;
  }

  /** Whether going from this state to {@code next} moves forward. */
  public boolean canMoveTo(StepState next) {
    return !isTerminal() && next.ordinal() > ordinal();
  }
}
