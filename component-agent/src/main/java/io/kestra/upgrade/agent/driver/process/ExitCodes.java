package io.kestra.upgrade.agent.driver.process;

/**
 * What a Kestra server's exit code says. Kestra's shutdown hook never calls exit, so a JVM ended by
 * SIGTERM exits 143 (128 + 15) once the hook is done; Kestra's {@code App} calls {@code
 * System.exit(0)} when a server terminated itself (evicted by the liveness coordinator, for
 * instance); SIGKILL ends it with 137 (128 + 9); a failed start exits 1.
 */
public final class ExitCodes {

  /** A JVM that ran its shutdown hooks after SIGTERM. */
  static final int SIGTERM = 143;

  /** A process killed by SIGKILL. */
  public static final int SIGKILL = 137;

  private ExitCodes() {}

  /** Whether an exit after the agent's own SIGTERM is Kestra's normal termination: 143 or 0. */
  public static boolean normalAfterSigterm(int code) {
    return code == SIGTERM || code == 0;
  }

  /** Whether the process ended by itself, unasked, as a server that terminated itself: 0. */
  public static boolean terminatedItself(int code) {
    return code == 0;
  }

  /** The code with what it means, for messages: {@code 143 (SIGTERM)}. */
  public static String describe(int code) {
    return switch (code) {
      case 0 -> "0 (terminated itself)";
      case 1 -> "1 (failed)";
      case 2 -> "2 (usage error)";
      case SIGKILL -> "137 (SIGKILL)";
      case SIGTERM -> "143 (SIGTERM)";
      default -> code > 128 ? code + " (signal " + (code - 128) + ")" : Integer.toString(code);
    };
  }
}
