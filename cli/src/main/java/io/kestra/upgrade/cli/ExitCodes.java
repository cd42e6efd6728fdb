package io.kestra.upgrade.cli;

/**
 * The exit codes of {@code kestra-upgrade}, the same for every command, so that a script can tell
 * an upgrade that failed from one the coordinator refused or could not be asked about.
 */
public final class ExitCodes {

  /** Done; for {@code start} and {@code watch}: the upgrade SUCCEEDED. */
  public static final int OK = 0;

  /** Anything else that went wrong (no such upgrade, the coordinator's own error). */
  public static final int ERROR = 1;

  /** The upgrade FAILED, its rollback failed (ROLLBACK_FAILED), or it was ABORTED. */
  public static final int FAILED = 2;

  /** The upgrade was ROLLED_BACK: the cluster runs its previous version. */
  public static final int ROLLED_BACK = 3;

  /** Refused: the request is invalid, preflight found an error, or the state does not allow it. */
  public static final int REFUSED = 4;

  /** The coordinator cannot be reached, or the token is missing or not allowed (401/403). */
  public static final int UNREACHABLE = 5;

  /** A wrong command line (sysexits' EX_USAGE). */
  public static final int USAGE = 64;

  private ExitCodes() {}

  /** The exit code of an upgrade that ended in {@code state}; {@code null} while it is not over. */
  public static Integer ofUpgrade(String state) {
    return switch (state) {
      case "SUCCEEDED" -> OK;
      case "ROLLED_BACK" -> ROLLED_BACK;
      case "FAILED", "ROLLBACK_FAILED", "ABORTED" -> FAILED;
      default -> null;
    };
  }
}
