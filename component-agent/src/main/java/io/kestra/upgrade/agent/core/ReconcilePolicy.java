package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.common.CommandType;

/**
 * What to do with a command the journal says was received but never answered: the agent died or was
 * closed while running it. It is never simply run again, because part of it may have happened.
 */
final class ReconcilePolicy {

  /** The ways to settle an interrupted command. */
  enum Decision {
    /**
     * A pure check (PING, PREPARE), an idempotent switch (maintenance) or tidying that looks before
     * it acts (FINALIZE): running it again is safe.
     */
    RUN_AGAIN,
    /**
     * START, RESTART: succeeded if the target version runs and gets ready within what is left of
     * the command's time; otherwise failed as interrupted. Nothing is started again.
     */
    AWAIT_TARGET_VERSION,
    /**
     * STOP: succeeded once the process is gone; if it still runs, SIGTERM again (harmless) and
     * wait, killing it after grace period and margin counted from when the command was first
     * received.
     */
    AWAIT_STOP,
    /**
     * MIGRATE, BACKUP, RESTORE: their effect cannot be observed from outside (a half-written dump,
     * a migration that may have committed): failed as interrupted, saying the outcome is unknown.
     */
    FAIL_OUTCOME_UNKNOWN
  }

  private ReconcilePolicy() {}

  static Decision decide(CommandType type) {
    return switch (type) {
      case PING, PREPARE, MAINTENANCE_ENTER, MAINTENANCE_EXIT, FINALIZE -> Decision.RUN_AGAIN;
      case START, RESTART -> Decision.AWAIT_TARGET_VERSION;
      case STOP -> Decision.AWAIT_STOP;
      case MIGRATE, BACKUP, RESTORE -> Decision.FAIL_OUTCOME_UNKNOWN;
    };
  }
}
