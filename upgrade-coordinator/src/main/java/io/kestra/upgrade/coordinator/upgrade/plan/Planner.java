package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a fleet and a target into the ordered steps of an upgrade. Pure: no I/O, no clock. A
 * ROLLING plan is described at {@link #rolling}; a FULL_STOP plan follows the upgrade guide's
 * "minimize downtime" order:
 *
 * <ol>
 *   <li>PREPARE — every agent makes the target ready while everything runs (one group).
 *   <li>MAINTENANCE_ENTER — with {@code maintenanceMode}, one agent switches Kestra Enterprise into
 *       maintenance mode: new executions queue, running tasks finish.
 *   <li>QUIESCE — STOP executors and schedulers: nothing new is created or dispatched.
 *   <li>DRAIN — STOP workers and standalone servers in parallel, each within its grace period.
 *   <li>STOP_INDEXERS — STOP indexers.
 *   <li>BACKUP — one agent dumps the database, now quiet (if {@code backup}).
 *   <li>MIGRATE — one agent migrates the schema with the target version (if MANUAL). With
 *       MANUAL_AHEAD, BACKUP and MIGRATE come right after PREPARE instead, while everything runs.
 *   <li>WEBSERVER — RESTART webservers on the target, one at a time: with two or more, the API
 *       never goes down; with one, only for its restart.
 *   <li>START — indexers, then workers and standalone servers, then schedulers, then executors,
 *       each group gated on readiness; executors last, so nothing is dispatched before workers are
 *       ready.
 *   <li>VERIFY — every agent reports the target version and ready (PING).
 *   <li>MAINTENANCE_EXIT — maintenance mode is exited; the queued executions start.
 *   <li>FINALIZE — every agent drops what it kept for a rollback (a docker agent's stopped old
 *       container); one, the migrating agent (else the backup agent, else the first), also writes
 *       the target into the deployment's file (a Compose file), which the agents may share.
 * </ol>
 *
 * Phases without a server of their kind are left out (a fleet without indexer has no
 * STOP_INDEXERS).
 *
 * <p>A server drains for its own {@code terminationGracePeriod}, whatever the coordinator asks: a
 * STOP waits for the grace period its agent reports (or the request's {@code gracePeriod}, which
 * then overrides every server's, and is also given to the servers started), plus the kill margin.
 * With {@code migration=AUTO} the servers migrate the schema as they start, which can take hours on
 * a large database: their START and RESTART steps get the migration's deadline.
 */
public final class Planner {

  private static final Comparator<FleetMember> BY_ID = Comparator.comparing(FleetMember::agentId);

  /**
   * The order in which ROLLING restarts the kinds: the FULL_STOP start order (the workers on the
   * new version before anything dispatches to them from it, the executors after the schedulers),
   * then the webservers, so that the API offers the new version once everything behind it runs it.
   */
  static final List<ComponentKind> ROLLING_ORDER =
      List.of(
          ComponentKind.INDEXER,
          ComponentKind.WORKER,
          ComponentKind.STANDALONE,
          ComponentKind.SCHEDULER,
          ComponentKind.EXECUTOR,
          ComponentKind.WEBSERVER);

  private final StepTimeouts timeouts;
  private final Duration defaultGracePeriod;
  private final ReleaseCatalog catalog;

  /**
   * @param defaultGracePeriod the grace period of a server whose agent reports none (Kestra's
   *     default, 5 minutes)
   * @param catalog the releases preflight checks the upgrade's path against
   */
  public Planner(StepTimeouts timeouts, Duration defaultGracePeriod, ReleaseCatalog catalog) {
    this.timeouts = timeouts;
    this.defaultGracePeriod = defaultGracePeriod;
    this.catalog = catalog;
  }

  /**
   * Preflight, then the steps when preflight passes; for a cluster without an upgrade to restore.
   */
  public Plan plan(
      String cluster,
      List<FleetMember> fleet,
      KestraVersion target,
      Strategy strategy,
      UpgradeOptions options) {
    return plan(cluster, fleet, target, strategy, options, ClusterHistory.NONE);
  }

  /**
   * Preflight, then the steps when preflight passes. A downgrade has none of its own: it is the
   * rollback with a restore of the cluster's last upgrade ({@link Plan#restoreOf}).
   *
   * @param history the cluster's earlier upgrades: the last one, which a downgrade restores, and
   *     what each agent's commands took, which the steps are expected to take again ({@link
   *     Estimates})
   */
  public Plan plan(
      String cluster,
      List<FleetMember> fleet,
      KestraVersion target,
      Strategy strategy,
      UpgradeOptions options,
      ClusterHistory history) {
    Preflight.Result preflight =
        Preflight.check(cluster, fleet, target, strategy, options, catalog, history.restorable());
    if (!preflight.passed() || preflight.restoreOf() != null) {
      return new Plan(
          preflight.fromVersion(),
          preflight.toVersion(),
          List.of(),
          preflight.findings(),
          preflight.passed() ? preflight.restoreOf() : null);
    }
    Builder b = new Builder(preflight.toVersion().toString(), options);
    List<FleetMember> all = fleet.stream().sorted(BY_ID).toList();
    if (strategy == Strategy.ROLLING) {
      rolling(b, all, preflight);
    } else {
      fullStop(b, all, preflight);
    }
    return new Plan(
        preflight.fromVersion(),
        preflight.toVersion(),
        Estimates.expect(b.steps, history.steps()),
        withGates(preflight.findings(), b.steps, options));
  }

  /** The FULL_STOP steps, in the order the class comment gives. */
  private void fullStop(Builder b, List<FleetMember> all, Preflight.Result preflight) {

    b.group(Phase.PREPARE, all, CommandType.PREPARE);
    // MANUAL_AHEAD: the backup and the migration while the old version serves
    boolean ahead = b.options.migration() == MigrationMode.MANUAL_AHEAD;
    if (ahead) {
      backupAndMigrate(b, all, preflight);
    }
    if (preflight.maintenanceAgent() != null) {
      b.group(
          Phase.MAINTENANCE_ENTER,
          byId(all, preflight.maintenanceAgent()),
          CommandType.MAINTENANCE_ENTER);
    }
    b.group(
        Phase.QUIESCE, of(all, ComponentKind.EXECUTOR, ComponentKind.SCHEDULER), CommandType.STOP);
    b.group(Phase.DRAIN, of(all, ComponentKind.WORKER, ComponentKind.STANDALONE), CommandType.STOP);
    b.group(Phase.STOP_INDEXERS, of(all, ComponentKind.INDEXER), CommandType.STOP);
    if (!ahead) {
      backupAndMigrate(b, all, preflight);
    }
    for (FleetMember web : of(all, ComponentKind.WEBSERVER)) {
      b.group(Phase.WEBSERVER, List.of(web), CommandType.RESTART);
    }
    b.group(Phase.START, of(all, ComponentKind.INDEXER), CommandType.START);
    b.group(
        Phase.START, of(all, ComponentKind.WORKER, ComponentKind.STANDALONE), CommandType.START);
    b.group(Phase.START, of(all, ComponentKind.SCHEDULER), CommandType.START);
    b.group(Phase.START, of(all, ComponentKind.EXECUTOR), CommandType.START);
    b.group(Phase.VERIFY, all, CommandType.PING);
    if (preflight.maintenanceAgent() != null) {
      b.group(
          Phase.MAINTENANCE_EXIT,
          byId(all, preflight.maintenanceAgent()),
          CommandType.MAINTENANCE_EXIT);
    }
    String recorder =
        preflight.migrateAgent() != null
            ? preflight.migrateAgent()
            : preflight.backupAgent() != null ? preflight.backupAgent() : all.get(0).agentId();
    b.recorder = recorder;
    b.group(Phase.FINALIZE, all, CommandType.FINALIZE);
  }

  private static void backupAndMigrate(
      Builder b, List<FleetMember> all, Preflight.Result preflight) {
    if (preflight.backupAgent() != null) {
      b.group(Phase.BACKUP, byId(all, preflight.backupAgent()), CommandType.BACKUP);
    }
    if (preflight.migrateAgent() != null) {
      b.group(Phase.MIGRATE, byId(all, preflight.migrateAgent()), CommandType.MIGRATE);
    }
  }

  /** The findings, with what {@code pauseBefore} will hold and what it names in vain. */
  private static List<Finding> withGates(
      List<Finding> findings, List<PlannedStep> steps, UpgradeOptions options) {
    if (options.pauseBefore().isEmpty()) {
      return findings;
    }
    List<Finding> out = new ArrayList<>(findings);
    Set<Phase> planned = steps.stream().map(PlannedStep::phase).collect(Collectors.toSet());
    List<String> held =
        options.pauseBefore().stream().filter(planned::contains).sorted().map(Phase::name).toList();
    List<String> absent =
        options.pauseBefore().stream()
            .filter(p -> !planned.contains(p))
            .sorted()
            .map(Phase::name)
            .toList();
    if (!held.isEmpty()) {
      out.add(
          Finding.info(
              "PAUSE_BEFORE",
              "the upgrade pauses before "
                  + String.join(", ", held)
                  + " until an operator resumes it"));
    }
    if (!absent.isEmpty()) {
      out.add(
          Finding.warning(
              "PAUSE_BEFORE_ABSENT",
              "this plan has no "
                  + String.join(", ", absent)
                  + " phase: pauseBefore holds nothing there"));
    }
    return out;
  }

  /**
   * The ROLLING steps: PREPARE; BACKUP and MIGRATE while the old version serves (MIGRATE only when
   * a release crossed changes the schema, which preflight allowed only if the old version runs on
   * it); ROLL, kind by kind in {@link #ROLLING_ORDER}, each kind in batches of its {@code
   * maxUnavailable} instances, a batch's servers restarting on the target in parallel; VERIFY;
   * FINALIZE.
   */
  private void rolling(Builder b, List<FleetMember> all, Preflight.Result preflight) {
    b.group(Phase.PREPARE, all, CommandType.PREPARE);
    if (preflight.backupAgent() != null) {
      b.group(Phase.BACKUP, byId(all, preflight.backupAgent()), CommandType.BACKUP);
    }
    if (preflight.migrateAgent() != null) {
      b.group(Phase.MIGRATE, byId(all, preflight.migrateAgent()), CommandType.MIGRATE);
    }
    for (ComponentKind kind : ROLLING_ORDER) {
      List<FleetMember> members = of(all, kind);
      int batch = b.options.maxUnavailableOf(kind);
      for (int i = 0; i < members.size(); i += batch) {
        b.group(
            Phase.ROLL,
            members.subList(i, Math.min(members.size(), i + batch)),
            CommandType.RESTART);
      }
    }
    b.group(Phase.VERIFY, all, CommandType.PING);
    b.recorder =
        preflight.migrateAgent() != null
            ? preflight.migrateAgent()
            : preflight.backupAgent() != null ? preflight.backupAgent() : all.get(0).agentId();
    b.group(Phase.FINALIZE, all, CommandType.FINALIZE);
  }

  private static List<FleetMember> of(List<FleetMember> fleet, ComponentKind... kinds) {
    Set<ComponentKind> wanted = Set.of(kinds);
    return fleet.stream().filter(m -> wanted.contains(m.kind())).toList();
  }

  private static List<FleetMember> byId(List<FleetMember> fleet, String agentId) {
    return fleet.stream().filter(m -> m.agentId().equals(agentId)).toList();
  }

  /** Accumulates steps, numbering them and their groups. */
  private final class Builder {
    private final String target;
    private final UpgradeOptions options;
    private final List<PlannedStep> steps = new ArrayList<>();
    private int group;

    /** The agent whose FINALIZE records the version in the deployment's file. */
    private String recorder;

    Builder(String target, UpgradeOptions options) {
      this.target = target;
      this.options = options;
    }

    /** One group: its steps run in parallel. */
    void group(Phase phase, List<FleetMember> members, CommandType type) {
      if (members.isEmpty()) {
        return;
      }
      group++;
      for (FleetMember m : members) {
        add(phase, m, type);
      }
    }

    private void add(Phase phase, FleetMember member, CommandType type) {
      Map<String, String> params = new LinkedHashMap<>();
      Duration grace =
          options.gracePeriod() != null
              ? options.gracePeriod()
              : member.gracePeriod().orElse(defaultGracePeriod);
      Duration stop = grace.plus(options.killMargin()).plus(timeouts.stopSlack());
      Duration work = workTimeout(type);
      Duration timeout;
      switch (type) {
        case STOP -> {
          putStop(params, grace);
          timeout = stop;
        }
        case RESTART -> {
          putStop(params, grace);
          params.put(Command.PARAM_TIMEOUT, agentBudget(work).toString());
          timeout = stop.plus(work);
          if (options.minHealthy() != null) {
            params.put(Command.PARAM_MIN_HEALTHY, options.minHealthy().toString());
            timeout = timeout.plus(options.minHealthy());
          }
        }
        default -> {
          params.put(Command.PARAM_TIMEOUT, agentBudget(work).toString());
          timeout = work;
        }
      }
      String config = options.configFiles().get(member.kind());
      if ((type == CommandType.START || type == CommandType.RESTART) && config != null) {
        params.put(Command.PARAM_CONFIG_FILE, config);
      }
      if (type == CommandType.START && options.gracePeriod() != null) {
        // the servers started keep the operator's grace period for their next stop
        params.put(Command.PARAM_GRACE_PERIOD, options.gracePeriod().toString());
      }
      if (type == CommandType.FINALIZE && member.agentId().equals(recorder)) {
        params.put(Command.PARAM_RECORD_VERSION, "true");
      }
      String version = type == CommandType.STOP || type == CommandType.BACKUP ? null : target;
      steps.add(
          new PlannedStep(
              steps.size() + 1, phase, group, member.agentId(), type, version, params, timeout));
    }

    private void putStop(Map<String, String> params, Duration grace) {
      params.put(Command.PARAM_GRACE_PERIOD, grace.toString());
      params.put(Command.PARAM_KILL_MARGIN, options.killMargin().toString());
    }

    private Duration workTimeout(CommandType type) {
      if (options.stepTimeout() != null) {
        return options.stepTimeout();
      }
      return switch (type) {
        case PING, FINALIZE -> timeouts.ping();
        case MAINTENANCE_ENTER, MAINTENANCE_EXIT -> timeouts.prepare();
        case PREPARE -> timeouts.prepare();
        case MIGRATE -> timeouts.migrate();
        case BACKUP, RESTORE -> timeouts.backup();
        case START, RESTART ->
            options.migration() == MigrationMode.AUTO ? timeouts.migrate() : timeouts.start();
        default -> timeouts.start();
      };
    }
  }

  /**
   * What the agent may spend: a little less than the step's deadline, so that its FAILED answer
   * arrives before the coordinator gives up on the step.
   */
  static Duration agentBudget(Duration stepTimeout) {
    Duration slack = stepTimeout.dividedBy(10);
    if (slack.compareTo(Duration.ofSeconds(10)) > 0) {
      slack = Duration.ofSeconds(10);
    }
    return stepTimeout.minus(slack);
  }
}
