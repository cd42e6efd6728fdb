package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Fleet shapes and options for planner tests. */
public final class Fleets {

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
    members.add(
        new FleetMember(
            "prod/" + kind.wireName() + "/" + instance,
            kind,
            instance,
            "0.21.4",
            true,
            false,
            Set.of(capabilities)));
    return this;
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

  public static UpgradeOptions defaults() {
    return new UpgradeOptions(
        true,
        MigrationMode.MANUAL,
        Duration.ofMinutes(5),
        Duration.ofSeconds(60),
        null,
        Duration.ofSeconds(30),
        OnFailure.ROLLBACK,
        false,
        false,
        false,
        Map.of(),
        null);
  }

  private Fleets() {}
}
