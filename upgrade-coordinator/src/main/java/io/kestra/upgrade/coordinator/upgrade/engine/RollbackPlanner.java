package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.Phase;
import io.kestra.upgrade.common.StepState;
import io.kestra.upgrade.coordinator.upgrade.plan.MigrationMode;
import io.kestra.upgrade.coordinator.upgrade.plan.PlannedStep;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans the rollback of a failed upgrade from what its steps did, once none of them is in flight.
 * Pure: it reads the steps, and each rollback step borrows its deadline and parameters from the
 * upgrade step it undoes (the same agent's STOP, START, BACKUP or PING), so a rollback waits as
 * long as the upgrade did and respects the same grace periods.
 *
 * <ul>
 *   <li>Nothing stopped, restarted, started or migrated (a failure in PREPARE), nor maintenance
 *       mode entered: no rollback.
 *   <li>The schema cannot have changed (no MIGRATE sent; with {@code migration=AUTO}, no server
 *       started on the target): ROLLBACK_STOP the servers whose stop did not end cleanly (they may
 *       still be draining), ROLLBACK_START every server the upgrade touched on the previous
 *       version, in the upgrade's own start order, ROLLBACK_VERIFY.
 *   <li>The schema may have changed: the guide's rollback. ROLLBACK_CHECK the first backup (there,
 *       its checksum matching) before anything stops for it; ROLLBACK_STOP every server that may be
 *       running; ROLLBACK_BACKUP a second backup (what was written since the first); RESTORE the
 *       first backup; ROLLBACK_START every server on the previous version; ROLLBACK_VERIFY.
 *   <li>A ROLLING upgrade (unless an operator asks for a restore): a rolling restart back, {@link
 *       #rolling}.
 *   <li>Either way, when the upgrade's FINALIZE ran (an operator's rollback of a SUCCEEDED
 *       upgrade), ROLLBACK_FINALIZE records the previous version in the deployment's file again.
 *   <li>Last, when the upgrade entered maintenance mode and it may still be on, or the rollback
 *       restores a backup taken in it: ROLLBACK_MAINTENANCE_EXIT, sent even when the rollback fails
 *       before it. An upgrade that touched no server but entered maintenance mode has this step
 *       alone.
 * </ul>
 */
final class RollbackPlanner {

  /**
   * A rollback to carry out.
   *
   * @param restore whether it restores the first backup (the schema may have changed)
   * @param steps its steps, numbered and grouped after the upgrade's own; none when impossible
   * @param impossible why it cannot be carried out (a restore without a backup), or {@code null}
   */
  record Rollback(boolean restore, List<PlannedStep> steps, String impossible) {}

  private RollbackPlanner() {}

  /** The rollback of {@code run}, or empty when the upgrade touched no server. */
  static Optional<Rollback> plan(UpgradeRun run) {
    return plan(run, false);
  }

  /**
   * The rollback of {@code run}, restoring the backup whatever the steps say when {@code
   * forceRestore}; empty when the upgrade touched no server.
   */
  static Optional<Rollback> plan(UpgradeRun run, boolean forceRestore) {
    List<StepRun> steps = upgradeSteps(run);
    if (!touchedAServer(run)) {
      if (!maintenanceMayBeOn(run)) {
        return Optional.empty();
      }
      Builder b = new Builder(run.spec().fromVersion(), steps);
      b.exitMaintenance(run, false);
      return Optional.of(new Rollback(false, b.steps, null));
    }
    if (run.spec().strategy() == Strategy.ROLLING && !forceRestore) {
      return Optional.of(rolling(run, steps));
    }
    boolean restore = forceRestore || schemaMayHaveChanged(run, steps);
    if (restore && run.status().backupId() == null) {
      return Optional.of(
          new Rollback(
              true,
              List.of(),
              "the schema may have been migrated and no backup of it was taken: nothing to"
                  + " restore"));
    }
    Builder b = new Builder(run.spec().fromVersion(), steps);
    Set<String> toStart = new LinkedHashSet<>();
    List<String> toStop = new ArrayList<>();
    for (String agent : agents(steps)) {
      List<StepRun> own = steps.stream().filter(s -> s.plan().agentId().equals(agent)).toList();
      boolean cleanlyStopped =
          own.stream().anyMatch(s -> isStop(s) && s.state() == StepState.SUCCEEDED)
              && own.stream().noneMatch(s -> startsTarget(s) && wasSent(s));
      boolean touchedByUpgrade = own.stream().anyMatch(s -> wasSent(s) && changesServer(s));
      boolean mayRun = !cleanlyStopped;
      if (restore ? mayRun : touchedByUpgrade && mayRun) {
        toStop.add(agent);
      }
      if (restore || touchedByUpgrade) {
        toStart.add(agent);
      }
    }
    String backupAgent =
        steps.stream()
            .filter(s -> s.plan().type() == CommandType.BACKUP)
            .map(s -> s.plan().agentId())
            .findFirst()
            .orElse(null);
    if (restore) {
      // a backup that is gone or corrupt must be found before anything is stopped for it
      b.restore(Phase.ROLLBACK_CHECK, backupAgent, run.status().backupId(), true);
    }
    b.group(Phase.ROLLBACK_STOP, toStop, CommandType.STOP);
    if (restore) {
      b.secondBackup(backupAgent, run.status().backupId());
      b.restore(Phase.RESTORE, backupAgent, run.status().backupId(), false);
    }
    // the upgrade's own start order: webservers, then indexers, workers, schedulers, executors
    List<Integer> startGroups =
        steps.stream()
            .filter(RollbackPlanner::startsTarget)
            .map(s -> s.plan().group())
            .distinct()
            .sorted()
            .toList();
    for (int group : startGroups) {
      List<String> members =
          steps.stream()
              .filter(s -> s.plan().group() == group && toStart.contains(s.plan().agentId()))
              .map(s -> s.plan().agentId())
              .toList();
      b.group(Phase.ROLLBACK_START, members, CommandType.START);
    }
    b.group(Phase.ROLLBACK_VERIFY, agents(steps), CommandType.PING);
    // a rolled back SUCCEEDED upgrade recorded its version: the previous one goes back there
    b.group(
        Phase.ROLLBACK_FINALIZE,
        agents(
            steps.stream()
                .filter(s -> s.plan().type() == CommandType.FINALIZE && wasSent(s))
                .toList()),
        CommandType.FINALIZE);
    b.exitMaintenance(run, restore);
    return Optional.of(new Rollback(restore, b.steps, null));
  }

  /**
   * The rollback of a ROLLING upgrade, which never restores (preflight let it run only where the
   * previous version runs on the schema it leaves): each server it restarted restarts on the
   * previous version, one at a time, the last restarted first, so that the others keep serving;
   * then ROLLBACK_VERIFY, and ROLLBACK_FINALIZE when FINALIZE ran.
   */
  private static Rollback rolling(UpgradeRun run, List<StepRun> steps) {
    Builder b = new Builder(run.spec().fromVersion(), steps);
    List<String> restarted =
        steps.stream()
            .filter(s -> startsTarget(s) && wasSent(s))
            .sorted(java.util.Comparator.comparingInt((StepRun s) -> s.plan().seq()).reversed())
            .map(s -> s.plan().agentId())
            .distinct()
            .toList();
    for (String agent : restarted) {
      b.group(Phase.ROLLBACK_ROLL, List.of(agent), CommandType.RESTART);
    }
    b.group(Phase.ROLLBACK_VERIFY, agents(steps), CommandType.PING);
    b.group(
        Phase.ROLLBACK_FINALIZE,
        agents(
            steps.stream()
                .filter(s -> s.plan().type() == CommandType.FINALIZE && wasSent(s))
                .toList()),
        CommandType.FINALIZE);
    return new Rollback(false, b.steps, null);
  }

  /**
   * Whether the upgrade stopped, started or restarted a server: without one there is nothing to
   * roll back. A backup or a migration alone (MANUAL_AHEAD's, while the old version serves) leaves
   * every server running the old version: the upgrade then ends FAILED, naming the backup that
   * restores the schema if the migration changed it.
   */
  static boolean touchedAServer(UpgradeRun run) {
    return upgradeSteps(run).stream().anyMatch(s -> wasSent(s) && changesServer(s));
  }

  private static List<StepRun> upgradeSteps(UpgradeRun run) {
    return run.steps().stream().filter(s -> !s.plan().phase().isRollback()).toList();
  }

  /**
   * Whether the schema may no longer be the previous version's: MIGRATE was sent, or, when the
   * servers migrate as they start, one was started (or restarted) on the target.
   */
  static boolean schemaMayHaveChanged(UpgradeRun run, List<StepRun> steps) {
    boolean auto = run.spec().options().migration() == MigrationMode.AUTO;
    return steps.stream()
        .anyMatch(
            s ->
                wasSent(s)
                    && (s.plan().type() == CommandType.MIGRATE || (auto && startsTarget(s))));
  }

  private static List<String> agents(List<StepRun> steps) {
    return steps.stream().map(s -> s.plan().agentId()).distinct().sorted().toList();
  }

  /**
   * Whether Kestra may be in maintenance mode because of this upgrade: it sent the enter (which may
   * have switched it even if its answer was lost), and no exit has succeeded.
   */
  static boolean maintenanceMayBeOn(UpgradeRun run) {
    return entered(run)
        && run.steps().stream()
            .noneMatch(
                s ->
                    s.plan().type() == CommandType.MAINTENANCE_EXIT
                        && s.state() == StepState.SUCCEEDED);
  }

  private static boolean entered(UpgradeRun run) {
    return run.steps().stream()
        .anyMatch(s -> s.plan().type() == CommandType.MAINTENANCE_ENTER && wasSent(s));
  }

  private static boolean wasSent(StepRun s) {
    return s.progress().sentAt() != null;
  }

  private static boolean isStop(StepRun s) {
    return s.plan().type() == CommandType.STOP;
  }

  private static boolean startsTarget(StepRun s) {
    return s.plan().type() == CommandType.START || s.plan().type() == CommandType.RESTART;
  }

  private static boolean changesServer(StepRun s) {
    return isStop(s) || startsTarget(s);
  }

  /** Accumulates the rollback's steps after the upgrade's, numbering them and their groups. */
  private static final class Builder {
    private final String previous;
    private final List<StepRun> upgrade;
    private final List<PlannedStep> steps = new ArrayList<>();
    private int seq;
    private int group;

    Builder(String previous, List<StepRun> upgrade) {
      this.previous = previous;
      this.upgrade = upgrade;
      this.seq = upgrade.stream().mapToInt(s -> s.plan().seq()).max().orElse(0);
      this.group = upgrade.stream().mapToInt(s -> s.plan().group()).max().orElse(0);
    }

    void group(Phase phase, List<String> agents, CommandType type) {
      if (agents.isEmpty()) {
        return;
      }
      group++;
      for (String agent : agents) {
        add(phase, agent, type);
      }
    }

    /**
     * ROLLBACK_MAINTENANCE_EXIT, last, by the agent that entered it: when maintenance mode may be
     * on, or when the rollback restores a backup taken in maintenance mode (it comes back with it).
     */
    void exitMaintenance(UpgradeRun run, boolean restores) {
      if (!entered(run) || !(restores || maintenanceMayBeOn(run))) {
        return;
      }
      List<String> agents =
          agents(
              upgrade.stream()
                  .filter(s -> s.plan().type() == CommandType.MAINTENANCE_ENTER)
                  .toList());
      group(Phase.ROLLBACK_MAINTENANCE_EXIT, agents, CommandType.MAINTENANCE_EXIT);
    }

    /** The second backup, whose retention must keep {@code first}, restored next. */
    void secondBackup(String agent, String first) {
      PlannedStep backup = model(agent, CommandType.BACKUP);
      Map<String, String> params = new LinkedHashMap<>(backup.params());
      params.put(Command.PARAM_KEEP_BACKUPS, first);
      group++;
      steps.add(
          new PlannedStep(
              ++seq,
              Phase.ROLLBACK_BACKUP,
              group,
              agent,
              CommandType.BACKUP,
              null,
              params,
              backup.timeout()));
    }

    /** A RESTORE of {@code backupId}, or only its check. */
    void restore(Phase phase, String agent, String backupId, boolean checkOnly) {
      PlannedStep backup = model(agent, CommandType.BACKUP);
      Map<String, String> params = new LinkedHashMap<>(backup.params());
      params.put(Command.PARAM_BACKUP_ID, backupId);
      if (checkOnly) {
        params.put(Command.PARAM_CHECK_ONLY, "true");
      }
      group++;
      steps.add(
          new PlannedStep(
              ++seq, phase, group, agent, CommandType.RESTORE, null, params, backup.timeout()));
    }

    private void add(Phase phase, String agent, CommandType type) {
      PlannedStep model = model(agent, type);
      Map<String, String> params = new LinkedHashMap<>(model.params());
      Duration timeout = model.timeout();
      // the target's configuration file stays behind: the one it replaced is put back
      if (params.remove(Command.PARAM_CONFIG_FILE) != null
          && (type == CommandType.START || type == CommandType.RESTART)) {
        params.put(Command.PARAM_RESTORE_CONFIG, "true");
      }
      if (type == CommandType.START && model.type() == CommandType.RESTART) {
        // a webserver's only start in the upgrade was its RESTART: keep the start's budget only
        params.remove(Command.PARAM_GRACE_PERIOD);
        params.remove(Command.PARAM_KILL_MARGIN);
      }
      String version =
          type == CommandType.START
                  || type == CommandType.RESTART
                  || type == CommandType.PING
                  || type == CommandType.FINALIZE
              ? previous
              : null;
      steps.add(new PlannedStep(++seq, phase, group, agent, type, version, params, timeout));
    }

    /** The upgrade step of {@code agent} whose deadline and parameters a rollback step borrows. */
    private PlannedStep model(String agent, CommandType type) {
      List<CommandType> models =
          switch (type) {
            case STOP -> List.of(CommandType.STOP, CommandType.RESTART);
            case START, RESTART -> List.of(CommandType.START, CommandType.RESTART);
            default -> List.of(type);
          };
      for (CommandType wanted : models) {
        Optional<PlannedStep> found =
            upgrade.stream()
                .map(StepRun::plan)
                .filter(p -> p.agentId().equals(agent) && p.type() == wanted)
                .findFirst();
        if (found.isPresent()) {
          return found.get();
        }
      }
      throw new IllegalStateException("the upgrade has no " + type + " step for " + agent);
    }
  }
}
