package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator needs after a rollback, above all after a failed one: what each server was last
 * seen running, and where both backups are, with their checksums. Derived from the steps alone.
 */
final class RollbackSummary {

  private RollbackSummary() {}

  /** {@code servers: …; backups: …}, one line. */
  static String of(UpgradeRun run) {
    List<String> servers = new ArrayList<>();
    run.steps().stream()
        .map(s -> s.plan().agentId())
        .distinct()
        .sorted()
        .forEach(agent -> servers.add(agent + " " + lastSeen(run, agent)));
    List<String> backups = new ArrayList<>();
    backup(run, false).ifPresent(b -> backups.add("first " + b));
    backup(run, true).ifPresent(b -> backups.add("second " + b));
    return "servers: "
        + String.join(", ", servers)
        + "; backups: "
        + (backups.isEmpty() ? "none" : String.join(", ", backups))
        + dropped(run);
  }

  /**
   * {@code "; the restore dropped …"}: what the restore dropped, as its agent counted it; empty
   * when it did not restore.
   */
  static String dropped(UpgradeRun run) {
    return run.steps().stream()
        .filter(s -> s.plan().phase() == Phase.RESTORE)
        .map(s -> s.progress().result().get(Ack.RESULT_DROPPED_EXECUTIONS))
        .filter(Objects::nonNull)
        .findFirst()
        .map(
            n ->
                "; the restore dropped "
                    + n
                    + " execution(s) written since the first backup, kept in the second (their"
                    + " ids in the RESTORE step)")
        .orElse("");
  }

  private static String lastSeen(UpgradeRun run, String agent) {
    Optional<Observed> seen =
        run.steps().stream()
            .filter(s -> s.plan().agentId().equals(agent) && s.progress().observed() != null)
            .filter(s -> s.progress().observed().version() != null)
            .max(
                Comparator.comparing(
                    (StepRun s) ->
                        Objects.requireNonNullElse(
                            s.progress().finishedAt(),
                            Objects.requireNonNullElse(s.progress().sentAt(), Instant.MIN))))
            .map(s -> s.progress().observed());
    return seen.map(
            o ->
                "last seen "
                    + o.state()
                    + " "
                    + o.version()
                    + (o.ready() ? " (ready)" : " (not ready)"))
        .orElse("not heard from");
  }

  /** The upgrade's backup, or the rollback's second one, as {@code id (sha256 …, location)}. */
  private static Optional<String> backup(UpgradeRun run, boolean second) {
    return run.steps().stream()
        .filter(
            s ->
                s.plan().type() == CommandType.BACKUP
                    && (s.plan().phase() == Phase.ROLLBACK_BACKUP) == second
                    && s.progress().result().containsKey(Ack.RESULT_BACKUP_ID))
        .findFirst()
        .map(
            s -> {
              Map<String, String> r = s.progress().result();
              return r.get(Ack.RESULT_BACKUP_ID)
                  + " (sha256 "
                  + r.getOrDefault(Ack.RESULT_BACKUP_SHA256, "unknown")
                  + ", "
                  + r.getOrDefault(Ack.RESULT_BACKUP_LOCATION, "location unknown")
                  + ")";
            });
  }
}
