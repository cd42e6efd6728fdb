package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Phase;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The options of an upgrade request, defaults applied.
 *
 * @param backup dump the database before migrating (default true for FULL_STOP)
 * @param migration who migrates the schema
 * @param gracePeriod how long a stopping server may finish its work before Kestra forces it, for
 *     every server; {@code null}: each server's own {@code terminationGracePeriod}, as its agent
 *     reports it
 * @param killMargin added to the grace period before the agent kills the process (Kestra's Helm
 *     chart gives 60 s)
 * @param stepTimeout overrides the deadline of every step when set, else {@code null}
 * @param progressDeadline the longest silence allowed from an agent working on a step
 * @param onFailure what a failure leads to: a rollback (the default), a pause, or FAILED as it
 *     stands
 * @param allowDowngrade accept a target older than the current version
 * @param acknowledgeBreakingChanges the operator read the release notes' breaking changes
 * @param maintenanceMode enter Kestra Enterprise maintenance mode first
 * @param maxUnavailable ROLLING: instances of a kind down at once
 * @param minHealthy ROLLING: how long a restarted instance must stay ready before the next one, or
 *     {@code null} for as soon as it is ready
 * @param restart ROLLING: restart every server on the version it runs (a configuration change), the
 *     target being that version
 * @param pauseBefore phases before which the upgrade pauses until an operator resumes it (an
 *     approval gate); a phase the plan does not have holds nothing
 * @param configFiles per kind, the configuration file (Kestra's {@code -c} YAML) its servers get at
 *     their START (or RESTART) on the target; a rollback puts back the one replaced
 */
public record UpgradeOptions(
    boolean backup,
    MigrationMode migration,
    Duration gracePeriod,
    Duration killMargin,
    Duration stepTimeout,
    Duration progressDeadline,
    OnFailure onFailure,
    boolean allowDowngrade,
    boolean acknowledgeBreakingChanges,
    boolean maintenanceMode,
    Map<ComponentKind, Integer> maxUnavailable,
    Duration minHealthy,
    boolean restart,
    Set<Phase> pauseBefore,
    Map<ComponentKind, String> configFiles) {

  public UpgradeOptions {
    Objects.requireNonNull(migration, "migration");
    Objects.requireNonNull(killMargin, "killMargin");
    Objects.requireNonNull(progressDeadline, "progressDeadline");
    Objects.requireNonNull(onFailure, "onFailure");
    maxUnavailable = maxUnavailable == null ? Map.of() : Map.copyOf(maxUnavailable);
    pauseBefore = pauseBefore == null ? Set.of() : Set.copyOf(pauseBefore);
    configFiles = configFiles == null ? Map.of() : Map.copyOf(configFiles);
  }

  /** Options without configuration files. */
  public UpgradeOptions(
      boolean backup,
      MigrationMode migration,
      Duration gracePeriod,
      Duration killMargin,
      Duration stepTimeout,
      Duration progressDeadline,
      OnFailure onFailure,
      boolean allowDowngrade,
      boolean acknowledgeBreakingChanges,
      boolean maintenanceMode,
      Map<ComponentKind, Integer> maxUnavailable,
      Duration minHealthy,
      boolean restart,
      Set<Phase> pauseBefore) {
    this(
        backup,
        migration,
        gracePeriod,
        killMargin,
        stepTimeout,
        progressDeadline,
        onFailure,
        allowDowngrade,
        acknowledgeBreakingChanges,
        maintenanceMode,
        maxUnavailable,
        minHealthy,
        restart,
        pauseBefore,
        Map.of());
  }

  /** ROLLING: how many instances of {@code kind} may be down at once (default 1). */
  public int maxUnavailableOf(ComponentKind kind) {
    return maxUnavailable.getOrDefault(kind, 1);
  }
}
