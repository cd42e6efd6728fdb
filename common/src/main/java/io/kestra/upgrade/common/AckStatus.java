package io.kestra.upgrade.common;

/** The status an agent reports about a command. */
public enum AckStatus {
  /** The agent took the command and starts working on it. */
  ACCEPTED,
  /** Still working; repeated at least every 2 s during long work. */
  PROGRESS,
  /** Done, with the outcome asked for. */
  SUCCEEDED,
  /** Tried and failed; the ack's reason says why. */
  FAILED,
  /** Refused without trying (expired, bad signature, unknown type). */
  REJECTED;

  /** Whether no further ack will follow this one for the same command. */
  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED || this == REJECTED;
  }
}
