package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
import io.kestra.upgrade.coordinator.upgrade.plan.release.SchemaEffect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The checks made before an upgrade starts, from the fleet registry's view of the cluster. Pure: no
 * I/O.
 *
 * <ol>
 *   <li>the cluster has agents, none LOST, every server ready; none whose messages the coordinator
 *       refuses (a contract version it cannot talk to, a signature that does not verify); none
 *       whose clock is more than {@link #MAX_CLOCK_SKEW} off (its commands would expire on arrival,
 *       or live too long);
 *   <li>every server reports the same, valid version: the version upgraded from;
 *   <li>the target differs from it and is newer, unless a downgrade is allowed; or, for a rolling
 *       restart ({@code restart}), equals it;
 *   <li>the releases crossed, against the release catalog ({@link ReleaseChecks}); for ROLLING,
 *       which runs both versions side by side, that the older one runs on the target's schema;
 *   <li>the strategy and options are supported;
 *   <li>an agent able to BACKUP and one able to MIGRATE exist when those are asked.
 * </ol>
 */
public final class Preflight {

  /**
   * Which agent takes BACKUP and MIGRATE when several can: the first kind of this list, then by id.
   */
  private static final List<ComponentKind> DATABASE_AGENT_PREFERENCE =
      List.of(
          ComponentKind.STANDALONE,
          ComponentKind.EXECUTOR,
          ComponentKind.SCHEDULER,
          ComponentKind.INDEXER,
          ComponentKind.WORKER,
          ComponentKind.WEBSERVER);

  /**
   * The outcome of preflight.
   *
   * @param fromVersion the version the fleet runs, or {@code null} when it cannot be told
   * @param toVersion the target with the fleet's flavour kept
   * @param backupAgent the agent chosen for BACKUP, or {@code null}
   * @param migrateAgent the agent chosen for MIGRATE, or {@code null}
   * @param maintenanceAgent the agent chosen to enter and exit maintenance mode, or {@code null}
   * @param findings what was found
   * @param restoreOf a downgrade's: the upgrade whose rollback with a restore carries it out, else
   *     {@code null}
   */
  public record Result(
      KestraVersion fromVersion,
      KestraVersion toVersion,
      String backupAgent,
      String migrateAgent,
      String maintenanceAgent,
      List<Finding> findings,
      String restoreOf) {

    /** Whether nothing refuses the upgrade. */
    public boolean passed() {
      return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR);
    }
  }

  /**
   * The largest clock difference between an agent and the coordinator an upgrade tolerates: an
   * agent judges a command's expiry on its own clock, and the shortest command (PING) lives 30 s.
   */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(30);

  private Preflight() {}

  /**
   * {@link #check(String, List, KestraVersion, Strategy, UpgradeOptions, ReleaseCatalog, Optional)}
   * for a cluster without an upgrade to restore.
   */
  public static Result check(
      String cluster,
      List<FleetMember> fleet,
      KestraVersion target,
      Strategy strategy,
      UpgradeOptions options,
      ReleaseCatalog catalog) {
    return check(cluster, fleet, target, strategy, options, catalog, Optional.empty());
  }

  /**
   * Runs every check; never stops at the first finding, so the operator sees them all.
   *
   * @param last the cluster's last upgrade, if it SUCCEEDED with a backup: a downgrade to its
   *     version is its rollback with a restore
   */
  public static Result check(
      String cluster,
      List<FleetMember> fleet,
      KestraVersion target,
      Strategy strategy,
      UpgradeOptions options,
      ReleaseCatalog catalog,
      Optional<RestorableUpgrade> last) {
    List<Finding> findings = new ArrayList<>();
    if (fleet.isEmpty()) {
      findings.add(
          Finding.error(
              "NO_AGENTS",
              "cluster '"
                  + cluster
                  + "' has no agent: run an agent beside each Kestra server first"));
      return new Result(null, target, null, null, null, findings, null);
    }
    checkLiveness(fleet, findings);
    checkTrust(fleet, findings);
    checkAgentVersions(fleet, findings);
    KestraVersion from = currentVersion(fleet, findings);
    KestraVersion to = from == null ? target : target.withFlavourOf(from);
    // a ROLLING upgrade migrates only when a release crossed changes the schema
    boolean schemaChanges = strategy == Strategy.FULL_STOP;
    String restoreOf = null;
    if (from != null) {
      checkDirection(from, to, strategy, options, findings);
      if (to.isOlderThan(from) && options.allowDowngrade() && strategy == Strategy.FULL_STOP) {
        restoreOf = checkRestorable(from, to, last, findings);
      }
      if (!to.isSameRelease(from)) {
        ReleaseChecks.check(catalog, from, to, options, findings);
        if (options.migration() == MigrationMode.MANUAL_AHEAD) {
          checkAhead(catalog.schemaEffect(from, to), strategy, from, to, options, findings);
        }
        if (strategy == Strategy.ROLLING && !to.isOlderThan(from)) {
          SchemaEffect effect = catalog.schemaEffect(from, to);
          checkSideBySide(effect, from, to, findings);
          schemaChanges = effect.changes();
        } else if (strategy == Strategy.ROLLING) {
          findings.add(
              Finding.error(
                  "ROLLING_DOWNGRADE",
                  "a downgrade is a restore of a backup taken on "
                      + to
                      + ", with every server stopped: ROLLING cannot do it"));
        }
      }
    }
    checkSupported(strategy, options, findings);
    checkConfigFiles(fleet, options, findings);
    String backupAgent = null;
    if (options.backup()) {
      backupAgent = pick(fleet, Capability.BACKUP, "NO_BACKUP_AGENT", "BACKUP", findings);
    }
    String migrateAgent = null;
    if (options.migration().isByAgent() && schemaChanges) {
      migrateAgent = pick(fleet, Capability.MIGRATE, "NO_MIGRATE_AGENT", "MIGRATE", findings);
    }
    String maintenanceAgent = checkMaintenance(fleet, strategy, options, findings);
    return new Result(from, to, backupAgent, migrateAgent, maintenanceAgent, findings, restoreOf);
  }

  /**
   * Kestra migrates its schema only forward: a downgrade is the restore of a backup taken on the
   * target, which only the cluster's last upgrade, from the target to the current version, can have
   * taken. Returns that upgrade's id, or {@code null} when there is none.
   */
  private static String checkRestorable(
      KestraVersion from,
      KestraVersion to,
      Optional<RestorableUpgrade> last,
      List<Finding> findings) {
    Optional<RestorableUpgrade> match =
        last.filter(u -> u.toVersion().isSameRelease(from) && u.fromVersion().isSameRelease(to));
    if (match.isEmpty()) {
      findings.add(
          Finding.error(
              "DOWNGRADE_NEEDS_BACKUP",
              "Kestra migrates its schema only forward: "
                  + from
                  + " → "
                  + to
                  + " is a restore of a backup taken on "
                  + to
                  + ", and the cluster's last upgrade"
                  + last.map(
                          u ->
                              " ("
                                  + u.upgradeId()
                                  + ", "
                                  + u.fromVersion()
                                  + " → "
                                  + u.toVersion()
                                  + ") did not take one on "
                                  + to)
                      .orElse(" that SUCCEEDED with a backup: none")
                  + ". Restore such a backup by hand, as the upgrade guide's rollback says"));
      return null;
    }
    RestorableUpgrade u = match.get();
    findings.add(
        Finding.info(
            "DOWNGRADE_BY_RESTORE",
            from
                + " → "
                + to
                + " is carried out as the rollback of upgrade "
                + u.upgradeId()
                + ": every server stops, a second backup keeps what was written since, backup "
                + u.backupId()
                + " (taken on "
                + to
                + ") is restored, every server starts on "
                + to
                + "; what was written since that backup is dropped"));
    return u.upgradeId();
  }

  private static void checkLiveness(List<FleetMember> fleet, List<Finding> findings) {
    List<String> lost = fleet.stream().filter(FleetMember::lost).map(FleetMember::agentId).toList();
    if (!lost.isEmpty()) {
      findings.add(
          Finding.error(
              "AGENT_LOST", "agents silent for too long (LOST): " + String.join(", ", lost)));
    }
    // an agent that cannot see its server (an engine that does not answer) says why
    List<String> notReady =
        fleet.stream()
            .filter(m -> !m.lost() && !m.ready())
            .map(
                m ->
                    m.heartbeat().component().problem() == null
                        ? m.agentId()
                        : m.agentId() + " (" + m.heartbeat().component().problem() + ")")
            .toList();
    if (!notReady.isEmpty()) {
      findings.add(
          Finding.error(
              "AGENT_NOT_READY",
              "servers not ready (readiness is not UP): " + String.join(", ", notReady)));
    }
  }

  private static void checkTrust(List<FleetMember> fleet, List<Finding> findings) {
    List<String> refused =
        fleet.stream()
            .filter(m -> m.refusal() != null)
            .map(m -> m.agentId() + " (" + m.refusal() + ")")
            .toList();
    if (!refused.isEmpty()) {
      findings.add(
          Finding.error(
              "AGENT_REFUSED",
              "the coordinator refuses the messages of: " + String.join("; ", refused)));
    }
    List<String> skewed =
        fleet.stream()
            .filter(
                m -> m.clockOffset() != null && m.clockOffset().abs().compareTo(MAX_CLOCK_SKEW) > 0)
            .map(m -> m.agentId() + " (" + describe(m.clockOffset()) + ")")
            .toList();
    if (!skewed.isEmpty()) {
      findings.add(
          Finding.error(
              "CLOCK_SKEW",
              "clocks more than "
                  + MAX_CLOCK_SKEW.toSeconds()
                  + " s off the coordinator's, so commands would expire on arrival or live too"
                  + " long (synchronise them, e.g. with NTP): "
                  + String.join(", ", skewed)));
    }
  }

  /**
   * The agents' own versions, as during their rolling restart on a new build. An agent that writes
   * a newer contract than this coordinator may expect commands this coordinator cannot write: it is
   * refused, as Kubernetes never lets a kubelet be newer than its API server (the coordinator is
   * upgraded first). Older contracts the coordinator still talks to, and agents of different builds
   * on contracts it serves, are allowed: the plan says so, for the operator to finish the agents'
   * restart first if that was not meant.
   */
  private static void checkAgentVersions(List<FleetMember> fleet, List<Finding> findings) {
    List<String> newer =
        fleet.stream()
            .filter(
                m ->
                    m.heartbeat().schemaVersion() > io.kestra.upgrade.common.Message.SCHEMA_VERSION)
            .map(m -> m.agentId() + " (contract " + m.heartbeat().schemaVersion() + ")")
            .toList();
    if (!newer.isEmpty()) {
      findings.add(
          Finding.error(
              "AGENT_CONTRACT_NEWER",
              "these agents speak a newer contract than this coordinator ("
                  + io.kestra.upgrade.common.Message.SCHEMA_VERSION
                  + "), whose commands they may not read: upgrade the coordinator first, then the"
                  + " agents: "
                  + String.join(", ", newer)));
    }
    Map<String, List<String>> byBuild = new TreeMap<>();
    for (FleetMember m : fleet) {
      String build =
          m.heartbeat().agentVersion() == null ? "unknown" : m.heartbeat().agentVersion();
      byBuild
          .computeIfAbsent(
              build + " (contract " + m.heartbeat().schemaVersion() + ")", k -> new ArrayList<>())
          .add(m.agentId());
    }
    if (byBuild.size() > 1) {
      findings.add(
          Finding.warning(
              "MIXED_AGENT_VERSIONS",
              "the agents run different builds, as in the middle of their rolling restart: "
                  + byBuild.entrySet().stream()
                      .map(e -> e.getKey() + " on " + String.join(", ", e.getValue()))
                      .collect(Collectors.joining("; "))
                  + ". This coordinator serves each of these contracts"));
    }
  }

  private static String describe(Duration offset) {
    // rounded: the offset includes a delivery delay of some milliseconds
    long s = Math.round(offset.abs().toMillis() / 1000.0);
    long minutes = Math.round(s / 60.0);
    String amount =
        minutes >= 60
            ? (minutes / 60) + " h " + (minutes % 60) + " min"
            : s >= 120 ? minutes + " min" : s + " s";
    return amount + (offset.isNegative() ? " behind" : " ahead");
  }

  private static KestraVersion currentVersion(List<FleetMember> fleet, List<Finding> findings) {
    Map<String, List<String>> byVersion = new TreeMap<>();
    for (FleetMember m : fleet) {
      Optional<KestraVersion> v = KestraVersion.tryParse(m.version());
      if (v.isEmpty()) {
        findings.add(
            Finding.error(
                "VERSION_UNKNOWN",
                m.agentId() + " reports no valid Kestra version ('" + m.version() + "')"));
      } else {
        byVersion.computeIfAbsent(v.get().toString(), k -> new ArrayList<>()).add(m.agentId());
      }
    }
    if (byVersion.size() > 1) {
      findings.add(
          Finding.error(
              "VERSIONS_DISAGREE",
              "servers run different versions: "
                  + byVersion.entrySet().stream()
                      .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                      .collect(Collectors.joining("; "))));
      return null;
    }
    if (byVersion.isEmpty()
        || findings.stream().anyMatch(f -> f.code().equals("VERSION_UNKNOWN"))) {
      return null;
    }
    return KestraVersion.parse(byVersion.keySet().iterator().next());
  }

  private static void checkDirection(
      KestraVersion from,
      KestraVersion to,
      Strategy strategy,
      UpgradeOptions options,
      List<Finding> findings) {
    if (options.restart()) {
      if (strategy != Strategy.ROLLING) {
        findings.add(
            Finding.error(
                "RESTART_NEEDS_ROLLING",
                "restart=true is a rolling restart: set strategy to ROLLING"));
      } else if (!to.isSameRelease(from)) {
        findings.add(
            Finding.error(
                "RESTART_CHANGES_VERSION",
                "restart=true restarts every server on the version it runs ("
                    + from
                    + "): set targetVersion to "
                    + from
                    + ", or leave restart unset to upgrade to "
                    + to));
      } else {
        findings.add(
            Finding.info("RESTART", "every server restarts on " + from + ", one batch at a time"));
      }
      return;
    }
    if (to.isSameRelease(from)) {
      findings.add(
          Finding.error(
              "TARGET_EQUALS_CURRENT",
              "the cluster already runs " + from + ": nothing to upgrade"));
    } else if (to.isOlderThan(from)) {
      // allowed, the downgrade is a restore, which checkRestorable (FULL_STOP) or ROLLING_DOWNGRADE
      // speaks of
      if (!options.allowDowngrade()) {
        findings.add(
            Finding.error(
                "DOWNGRADE",
                from
                    + " → "
                    + to
                    + " is a downgrade: Kestra advises against it; set allowDowngrade=true to"
                    + " proceed anyway"));
      }
    }
  }

  /**
   * MANUAL_AHEAD migrates while the old version serves: a FULL_STOP only (a ROLLING upgrade
   * migrates ahead by itself where it may), with a backup to restore if the migration fails, and
   * only where the catalog says the old version runs on the new schema.
   */
  private static void checkAhead(
      SchemaEffect effect,
      Strategy strategy,
      KestraVersion from,
      KestraVersion to,
      UpgradeOptions options,
      List<Finding> findings) {
    if (strategy != Strategy.FULL_STOP) {
      findings.add(
          Finding.error(
              "MANUAL_AHEAD_NEEDS_FULL_STOP",
              "migration MANUAL_AHEAD is a FULL_STOP's: a ROLLING upgrade already migrates ahead,"
                  + " where the old version runs on the new schema; leave migration unset"));
      return;
    }
    if (!options.backup()) {
      findings.add(
          Finding.error(
              "MANUAL_AHEAD_NEEDS_BACKUP",
              "migration MANUAL_AHEAD migrates while "
                  + from
                  + " serves: a failed migration needs the backup taken before it; keep"
                  + " backup=true"));
    }
    String releases = String.join(", ", effect.releases());
    switch (effect.kind()) {
      case KEEPS, CHANGES_TOLERATED ->
          findings.add(
              Finding.info(
                  "MANUAL_AHEAD",
                  "the backup and the migration with "
                      + to
                      + " run while "
                      + from
                      + " serves"
                      + (effect.kind() == SchemaEffect.Kind.KEEPS
                          ? " (no release crossed changes the schema)"
                          : ", which the release catalog says runs on the schema of " + releases)
                      + "; only the restarts are downtime"));
      case CHANGES ->
          findings.add(
              Finding.error(
                  "MANUAL_AHEAD_NOT_TOLERATED",
                  "migration MANUAL_AHEAD runs "
                      + from
                      + " on the migrated schema until it stops, but the release catalog does not"
                      + " say it runs on the schema of "
                      + releases
                      + ": use migration MANUAL (the migration while every server is stopped)"));
      case UNKNOWN ->
          findings.add(
              Finding.error(
                  "MANUAL_AHEAD_NOT_TOLERATED",
                  "migration MANUAL_AHEAD runs "
                      + from
                      + " on the migrated schema until it stops, but the release catalog has no"
                      + " entry of "
                      + releases
                      + ": use migration MANUAL, or add an entry for it to the catalog file"
                      + " (coordinator.release-catalog)"));
    }
  }

  /**
   * ROLLING runs the old and the new version side by side on one database: refused unless the
   * catalog says the old version runs on the target's schema.
   */
  private static void checkSideBySide(
      SchemaEffect effect, KestraVersion from, KestraVersion to, List<Finding> findings) {
    String releases = String.join(", ", effect.releases());
    switch (effect.kind()) {
      case KEEPS ->
          findings.add(
              Finding.info(
                  "SCHEMA_KEPT",
                  "no release from "
                      + from
                      + " to "
                      + to
                      + " changes the database schema, by the release catalog: both run side by"
                      + " side during the rolling upgrade"));
      case CHANGES_TOLERATED ->
          findings.add(
              Finding.info(
                  "SCHEMA_TOLERATED",
                  "the database schema changes in "
                      + releases
                      + ", and the release catalog says the version before each runs on the new"
                      + " one: the schema is migrated first, while "
                      + from
                      + " serves"));
      case CHANGES ->
          findings.add(
              Finding.error(
                  "ROLLING_SCHEMA_CHANGE",
                  "ROLLING runs "
                      + from
                      + " and "
                      + to
                      + " side by side, but the database schema changes in "
                      + releases
                      + " and the release catalog does not say the older version runs on it: use"
                      + " FULL_STOP"));
      case UNKNOWN ->
          findings.add(
              Finding.error(
                  "ROLLING_SCHEMA_UNKNOWN",
                  "ROLLING runs "
                      + from
                      + " and "
                      + to
                      + " side by side, but the release catalog has no entry of "
                      + releases
                      + ", so whether it changes the database schema is unknown (Kestra"
                      + " backports migrations into patch releases): use FULL_STOP, or add an"
                      + " entry for it to the catalog file (coordinator.release-catalog)"));
    }
  }

  private static void checkSupported(
      Strategy strategy, UpgradeOptions options, List<Finding> findings) {
    // an option accepted and not acted on would mislead the operator who set it: each one this
    // coordinator does not carry out yet is refused by name
    if (strategy == Strategy.FULL_STOP
        && options.onFailure() == OnFailure.ROLLBACK
        && !options.backup()) {
      // every FULL_STOP upgrade migrates the schema (MIGRATE, or the servers as they start): its
      // rollback restores the backup, and there would be none. A ROLLING one never restores: the
      // old version runs on the schema it leaves
      findings.add(
          Finding.error(
              "ROLLBACK_NEEDS_BACKUP",
              "backup=false leaves a rollback nothing to restore once the schema is migrated: keep"
                  + " backup=true, or set onFailure to FAIL"));
    }
    if (strategy != Strategy.ROLLING) {
      if (!options.maxUnavailable().isEmpty()) {
        needsRolling(findings, "maxUnavailable");
      }
      if (options.minHealthy() != null) {
        needsRolling(findings, "minHealthy");
      }
    }
  }

  /**
   * A configuration file for a kind needs servers of that kind, each with an agent able to install
   * it: refused before anything runs, rather than failing at START, servers stopped.
   */
  private static void checkConfigFiles(
      List<FleetMember> fleet, UpgradeOptions options, List<Finding> findings) {
    if (options.configFiles().isEmpty()) {
      return;
    }
    List<String> absent = new ArrayList<>();
    List<String> unable = new ArrayList<>();
    for (ComponentKind kind : new java.util.TreeSet<>(options.configFiles().keySet())) {
      List<FleetMember> members = fleet.stream().filter(m -> m.kind() == kind).toList();
      if (members.isEmpty()) {
        absent.add(kind.wireName());
      }
      members.stream()
          .filter(m -> !m.capabilities().contains(Capability.CONFIG_FILE))
          .map(m -> m.agentId() + " (" + m.heartbeat().driver() + " driver)")
          .forEach(unable::add);
    }
    if (!absent.isEmpty()) {
      findings.add(
          Finding.error(
              "CONFIG_FILE_NO_SERVER",
              "configFiles names kinds the cluster has no server of: "
                  + String.join(", ", absent)));
    }
    if (!unable.isEmpty()) {
      findings.add(
          Finding.error(
              "CONFIG_FILE_UNSUPPORTED",
              "these agents do not advertise the CONFIG_FILE capability, which installing a"
                  + " configuration file needs (add it to agent.capabilities of a process-driver"
                  + " agent whose server has a -c file): "
                  + String.join(", ", unable)));
    }
    if (absent.isEmpty() && unable.isEmpty()) {
      findings.add(
          Finding.info(
              "CONFIG_FILES",
              "a new configuration file is installed on the "
                  + String.join(
                      ", ",
                      new java.util.TreeSet<>(options.configFiles().keySet())
                          .stream().map(ComponentKind::wireName).toList())
                  + " servers as they start on the target; a rollback puts back the one"
                  + " replaced, and FINALIZE drops it"));
    }
  }

  /**
   * Maintenance mode is entered and exited through Kestra's API by one agent with the MAINTENANCE
   * capability, a webserver's by preference (the API is its own). FULL_STOP only: maintenance holds
   * every new execution for the whole upgrade, which a ROLLING upgrade exists to avoid.
   *
   * @return the agent chosen, or {@code null}
   */
  private static String checkMaintenance(
      List<FleetMember> fleet, Strategy strategy, UpgradeOptions options, List<Finding> findings) {
    if (!options.maintenanceMode()) {
      return null;
    }
    if (strategy == Strategy.ROLLING) {
      findings.add(
          Finding.error(
              "MAINTENANCE_NEEDS_FULL_STOP",
              "maintenance mode queues every new execution for as long as it lasts, and a ROLLING"
                  + " upgrade keeps Kestra serving: leave maintenanceMode false, or use FULL_STOP"));
      return null;
    }
    Optional<FleetMember> chosen =
        fleet.stream()
            .filter(m -> m.capabilities().contains(Capability.MAINTENANCE))
            .min(
                Comparator.comparing((FleetMember m) -> m.kind() != ComponentKind.WEBSERVER)
                    .thenComparing(FleetMember::agentId));
    if (chosen.isEmpty()) {
      findings.add(
          Finding.error(
              "MAINTENANCE_NO_AGENT",
              "no agent of the cluster advertises the MAINTENANCE capability, which entering"
                  + " maintenance mode needs: give a webserver's agent agent.driver.maintenance.url"
                  + " (and credentials) and grant MAINTENANCE in its agent.capabilities"));
      return null;
    }
    findings.add(
        Finding.info(
            "MAINTENANCE",
            "maintenance mode is entered through "
                + chosen.get().agentId()
                + " before anything stops (new executions queue, running tasks finish) and exited"
                + " after VERIFY, and on every other way out: rollback, failure, abort. The"
                + " webserver still accepts executions in maintenance mode: those created after"
                + " the backup are lost if a rollback restores it (the rollback counts them)"));
    return chosen.get().agentId();
  }

  private static void needsRolling(List<Finding> findings, String option) {
    findings.add(
        Finding.error(
            "OPTION_NEEDS_ROLLING",
            option
                + " is a ROLLING option (FULL_STOP stops every server of a kind at once): leave it"
                + " unset, or set strategy to ROLLING"));
  }

  private static String pick(
      List<FleetMember> fleet,
      Capability capability,
      String missingCode,
      String command,
      List<Finding> findings) {
    Optional<FleetMember> chosen =
        fleet.stream()
            .filter(m -> m.capabilities().contains(capability))
            .min(
                Comparator.comparingInt(
                        (FleetMember m) -> DATABASE_AGENT_PREFERENCE.indexOf(m.kind()))
                    .thenComparing(FleetMember::agentId));
    if (chosen.isEmpty()) {
      findings.add(
          Finding.error(
              missingCode,
              "no agent of the cluster advertises the "
                  + capability
                  + " capability, which "
                  + command
                  + " needs"
                  + (capability == Capability.BACKUP
                      ? " (or set backup=false)"
                      : " (or set migration=AUTO)")));
      return null;
    }
    findings.add(Finding.info(command + "_BY", command + " will run on " + chosen.get().agentId()));
    return chosen.get().agentId();
  }
}
