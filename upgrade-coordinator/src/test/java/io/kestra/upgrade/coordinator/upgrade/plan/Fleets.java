package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.coordinator.upgrade.plan.release.Release;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Fleet shapes and options for planner tests. */
public final class Fleets {

  /** A catalog that knows the versions the tests use and says nothing against them. */
  public static final ReleaseCatalog CATALOG =
      new ReleaseCatalog(
          List.of(
              new Release("0.21", true, false, List.of(), null, null, null),
              new Release("0.22", true, false, List.of(), null, null, null),
              new Release("1.0", true, false, List.of(), null, null, null)));

  /** 1.0.2 changes the schema, which 1.0.x before it runs on; 1.1 changes it, and not so. */
  public static final ReleaseCatalog AHEAD_CATALOG =
      new ReleaseCatalog(
          List.of(
              new Release("1.0", true, false, List.of(), null, null, null),
              new Release("1.0.2", true, true, List.of(), "an index rebuild", null, null),
              new Release("1.1", true, false, List.of(), null, null, null)));

  public static final StepTimeouts TIMEOUTS =
      new StepTimeouts(
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofMinutes(5),
          Duration.ofHours(2),
          Duration.ofHours(1),
          Duration.ofSeconds(30));

  private final List<FleetMember> members = new ArrayList<>();

  public static Fleets cluster() {
    return new Fleets();
  }

  public Fleets with(ComponentKind kind, String instance, Capability... capabilities) {
    members.add(member(kind, instance, "0.21.4", true, false, null, capabilities));
    return this;
  }

  /**
   * An agent of cluster {@code prod} as its last heartbeat describes it.
   *
   * @param gracePeriod the grace period its server reports, or {@code null}
   */
  public static FleetMember member(
      ComponentKind kind,
      String instance,
      String version,
      boolean ready,
      boolean lost,
      Duration gracePeriod,
      Capability... capabilities) {
    Heartbeat heartbeat =
        new Heartbeat(
            1,
            "hb-" + instance,
            "prod/" + kind.wireName() + "/" + instance,
            "prod",
            kind,
            instance,
            "test",
            "process",
            Set.of(capabilities),
            new Observed(
                version, ready ? ComponentState.RUNNING : ComponentState.STARTING, ready, 0),
            gracePeriod,
            null,
            Instant.parse("2026-11-25T10:00:00Z"));
    return new FleetMember(heartbeat, lost);
  }

  public Fleets member(FleetMember member) {
    members.add(member);
    return this;
  }

  public List<FleetMember> build() {
    return List.copyOf(members);
  }

  /** One of each kind, the executor able to back up and migrate. */
  public static List<FleetMember> oneOfEach() {
    return cluster()
        .with(ComponentKind.EXECUTOR, "executor-1", Capability.BACKUP, Capability.MIGRATE)
        .with(ComponentKind.WORKER, "worker-1")
        .with(ComponentKind.SCHEDULER, "scheduler-1")
        .with(ComponentKind.WEBSERVER, "webserver-1")
        .with(ComponentKind.INDEXER, "indexer-1")
        .build();
  }

  /** {@code d} changed as {@code change} says: a test names only what differs. */
  public static UpgradeOptions with(UpgradeOptions d, Consumer<OptionsCopy> change) {
    OptionsCopy copy = new OptionsCopy(d);
    change.accept(copy);
    return copy.build();
  }

  /** The default options with these changed. */
  public static UpgradeOptions options(
      boolean backup, MigrationMode migration, Duration gracePeriod, boolean allowDowngrade) {
    return options(backup, migration, gracePeriod, allowDowngrade, defaults().onFailure());
  }

  /** The default options with these changed. */
  public static UpgradeOptions options(
      boolean backup,
      MigrationMode migration,
      Duration gracePeriod,
      boolean allowDowngrade,
      OnFailure onFailure) {
    return with(
        defaults(),
        o -> {
          o.backup = backup;
          o.migration = migration;
          o.gracePeriod = gracePeriod;
          o.allowDowngrade = allowDowngrade;
          o.onFailure = onFailure;
        });
  }

  /** The default options, the breaking changes acknowledged or not. */
  public static UpgradeOptions acknowledging(boolean breakingChanges) {
    return with(defaults(), o -> o.acknowledgeBreakingChanges = breakingChanges);
  }

  /** The default options (without a backup, as ROLLING's) with the ROLLING ones set. */
  public static UpgradeOptions rolling(
      Map<ComponentKind, Integer> maxUnavailable, Duration minHealthy, boolean restart) {
    return with(
        defaults(),
        o -> {
          o.backup = false;
          o.acknowledgeBreakingChanges = true;
          o.maxUnavailable = maxUnavailable;
          o.minHealthy = minHealthy;
          o.restart = restart;
        });
  }

  /** {@code d} with these approval gates. */
  public static UpgradeOptions pausingBefore(UpgradeOptions d, Phase... phases) {
    return with(d, o -> o.pauseBefore = Set.of(phases));
  }

  /** {@code d} with maintenance mode asked and this failure policy. */
  public static UpgradeOptions maintaining(UpgradeOptions d, OnFailure onFailure) {
    return with(
        d,
        o -> {
          o.maintenanceMode = true;
          o.onFailure = onFailure;
        });
  }

  /** {@link #oneOfEach()}, the webserver's agent able to switch maintenance mode. */
  public static List<FleetMember> oneOfEachWithMaintenance() {
    return cluster()
        .with(ComponentKind.EXECUTOR, "executor-1", Capability.BACKUP, Capability.MIGRATE)
        .with(ComponentKind.WORKER, "worker-1")
        .with(ComponentKind.SCHEDULER, "scheduler-1")
        .with(ComponentKind.WEBSERVER, "webserver-1", Capability.MAINTENANCE)
        .with(ComponentKind.INDEXER, "indexer-1")
        .build();
  }

  public static UpgradeOptions defaults() {
    return new UpgradeOptions(
        true,
        MigrationMode.MANUAL,
        null,
        Duration.ofSeconds(60),
        null,
        Duration.ofSeconds(30),
        OnFailure.ROLLBACK,
        false,
        false,
        false,
        Map.of(),
        null,
        false,
        Set.of());
  }

  private Fleets() {}

  /** {@link #oneOfEach()} on {@code version}. */
  public static List<FleetMember> oneOfEachOn(String version) {
    return oneOfEach().stream()
        .map(
            m ->
                member(
                    m.kind(),
                    m.heartbeat().instance(),
                    version,
                    true,
                    false,
                    null,
                    m.capabilities().toArray(io.kestra.upgrade.common.Capability[]::new)))
        .toList();
  }

  /** The default options with migration MANUAL_AHEAD, breaking changes acknowledged. */
  public static UpgradeOptions ahead(boolean backup) {
    return with(
        defaults(),
        o -> {
          o.backup = backup;
          o.migration = MigrationMode.MANUAL_AHEAD;
          o.acknowledgeBreakingChanges = true;
        });
  }
}
