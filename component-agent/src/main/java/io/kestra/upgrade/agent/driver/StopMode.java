package io.kestra.upgrade.agent.driver;

import io.kestra.upgrade.common.Ack;
import java.util.Locale;

/** How a STOP ended; its {@link #wireName()} is the value of {@link Ack#RESULT_STOP_MODE}. */
public enum StopMode {
  /** The server finished its work and exited within its grace period. */
  GRACEFUL,
  /**
   * The server exited by itself but forced its running tasks (Kestra logged "Forcing shutdown
   * now").
   */
  FORCED,
  /** The process outlived grace period and kill margin and was killed (SIGKILL). */
  KILLED,
  /** Nothing was running. */
  NONE;

  /** The value in acks: {@code graceful}, {@code forced}, {@code killed}, {@code none}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
