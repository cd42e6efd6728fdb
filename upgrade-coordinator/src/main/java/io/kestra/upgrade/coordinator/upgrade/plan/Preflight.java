package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
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
 *   <li>the target differs from it and is newer, unless a downgrade is allowed;
 *   <li>the releases crossed, against the release catalog ({@link ReleaseChecks});
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
   * @param findings what was found
   */
  public record Result(
      KestraVersion fromVersion,
      KestraVersion toVersion,
      String backupAgent,
      String migrateAgent,
      List<Finding> findings) {

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

  /** Runs every check; never stops at the first finding, so the operator sees them all. */
  public static Result check(
      String cluster,
      List<FleetMember> fleet,
      KestraVersion target,
      Strategy strategy,
      UpgradeOptions options,
      ReleaseCatalog catalog) {
    List<Finding> findings = new ArrayList<>();
    if (fleet.isEmpty()) {
      findings.add(
          Finding.error(
              "NO_AGENTS",
              "cluster '"
                  + cluster
                  + "' has no agent: run an agent beside each Kestra server first"));
      return new Result(null, target, null, null, findings);
    }
    checkLiveness(fleet, findings);
    checkTrust(fleet, findings);
    KestraVersion from = currentVersion(fleet, findings);
    KestraVersion to = from == null ? target : target.withFlavourOf(from);
    if (from != null) {
      checkDirection(from, to, options, findings);
      if (!to.isSameRelease(from)) {
        ReleaseChecks.check(catalog, from, to, options, findings);
      }
    }
    checkSupported(strategy, options, findings);
    String backupAgent = null;
    if (options.backup()) {
      backupAgent = pick(fleet, Capability.BACKUP, "NO_BACKUP_AGENT", "BACKUP", findings);
    }
    String migrateAgent = null;
    if (options.migration() == MigrationMode.MANUAL) {
      migrateAgent = pick(fleet, Capability.MIGRATE, "NO_MIGRATE_AGENT", "MIGRATE", findings);
    }
    return new Result(from, to, backupAgent, migrateAgent, findings);
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
      KestraVersion from, KestraVersion to, UpgradeOptions options, List<Finding> findings) {
    if (to.isSameRelease(from)) {
      findings.add(
          Finding.error(
              "TARGET_EQUALS_CURRENT",
              "the cluster already runs " + from + ": nothing to upgrade"));
    } else if (to.isOlderThan(from)) {
      if (options.allowDowngrade()) {
        findings.add(
            Finding.info(
                "DOWNGRADE", from + " → " + to + " is a downgrade, allowed by allowDowngrade"));
      } else {
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

  private static void checkSupported(
      Strategy strategy, UpgradeOptions options, List<Finding> findings) {
    if (strategy == Strategy.ROLLING) {
      findings.add(
          Finding.error(
              "STRATEGY_NOT_SUPPORTED",
              "strategy ROLLING is not supported by this coordinator yet: use FULL_STOP"));
    }
    if (options.maintenanceMode()) {
      findings.add(
          Finding.error(
              "MAINTENANCE_NOT_SUPPORTED",
              "maintenanceMode is not supported by this coordinator yet: leave it false"));
    }
    // an option accepted and not acted on would mislead the operator who set it: each one this
    // coordinator does not carry out yet is refused by name
    if (options.onFailure() == OnFailure.ROLLBACK && !options.backup()) {
      // every upgrade migrates the schema (MIGRATE, or the servers as they start): its rollback
      // restores the backup, and there would be none
      findings.add(
          Finding.error(
              "ROLLBACK_NEEDS_BACKUP",
              "backup=false leaves a rollback nothing to restore once the schema is migrated: keep"
                  + " backup=true, or set onFailure to FAIL"));
    }
    if (!options.maxUnavailable().isEmpty()) {
      notSupported(findings, "maxUnavailable", "it is a ROLLING option; leave it unset");
    }
    if (options.minHealthy() != null) {
      notSupported(findings, "minHealthy", "it is a ROLLING option; leave it unset");
    }
  }

  private static void notSupported(List<Finding> findings, String option, String instead) {
    findings.add(
        Finding.error(
            "OPTION_NOT_SUPPORTED",
            option + " is not supported by this coordinator yet: " + instead));
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
