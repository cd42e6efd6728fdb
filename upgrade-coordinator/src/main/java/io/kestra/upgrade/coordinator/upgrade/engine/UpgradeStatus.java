package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.UpgradeState;
import java.time.Instant;
import java.util.Objects;

/**
 * Where an upgrade stands: replaced as a whole at each transition.
 *
 * <p>{@code finishedAt} is set exactly when the state is terminal: an upgrade is active while it
 * has none, which is what the database's one-active-upgrade-per-cluster index reads (see {@link
 * UpgradeState#isTerminal()}, the one list of terminal states).
 *
 * @param state the state
 * @param startedAt when it began running, or {@code null}
 * @param finishedAt when it reached a terminal state, or {@code null} while it is active
 * @param reason why it failed, or {@code null}
 * @param message human details of the failure, or {@code null}
 * @param backupId the backup taken before the schema changed, or {@code null}
 */
public record UpgradeStatus(
    UpgradeState state,
    Instant startedAt,
    Instant finishedAt,
    FailureReason reason,
    String message,
    String backupId) {

  public UpgradeStatus {
    Objects.requireNonNull(state, "state");
  }

  /** A new upgrade's status. */
  public static UpgradeStatus pending() {
    return new UpgradeStatus(UpgradeState.PENDING, null, null, null, null, null);
  }

  UpgradeStatus movedTo(UpgradeState next, Instant now) {
    if (state.isTerminal()) {
      throw new IllegalStateException("an upgrade that is " + state + " cannot become " + next);
    }
    Instant started = next == UpgradeState.RUNNING && startedAt == null ? now : startedAt;
    return new UpgradeStatus(
        next, started, next.isTerminal() ? now : null, reason, message, backupId);
  }

  /** An ended upgrade active again, in {@code next} (not terminal): its end is to come. */
  UpgradeStatus reopened(UpgradeState next) {
    if (!state.isTerminal() || next.isTerminal()) {
      throw new IllegalStateException("an upgrade that is " + state + " cannot reopen as " + next);
    }
    return new UpgradeStatus(next, startedAt, null, reason, message, backupId);
  }

  UpgradeStatus failedWith(FailureReason why, String text) {
    return new UpgradeStatus(state, startedAt, finishedAt, why, text, backupId);
  }

  UpgradeStatus withBackup(String id) {
    return new UpgradeStatus(state, startedAt, finishedAt, reason, message, id);
  }
}
