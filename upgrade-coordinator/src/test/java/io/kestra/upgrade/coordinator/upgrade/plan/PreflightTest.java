package io.kestra.upgrade.coordinator.upgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Observed;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreflightTest {

  private static FleetMember member(String instance, String version, boolean ready, boolean lost) {
    return Fleets.member(
        ComponentKind.WORKER,
        instance,
        version,
        ready,
        lost,
        null,
        Capability.BACKUP,
        Capability.MIGRATE);
  }

  private static List<String> codes(Preflight.Result r) {
    return r.findings().stream()
        .filter(f -> f.severity() == Finding.Severity.ERROR)
        .map(Finding::code)
        .toList();
  }

  private static Preflight.Result check(
      List<FleetMember> fleet, String target, UpgradeOptions options) {
    return Preflight.check(
        "prod", fleet, KestraVersion.parse(target), Strategy.FULL_STOP, options, Fleets.CATALOG);
  }

  @Test
  void rollingOptionsOnAFullStopAreRefusedByNameNotIgnored() {
    List<FleetMember> fleet = List.of(member("w1", "0.21.4", true, false));
    UpgradeOptions d = Fleets.defaults();
    UpgradeOptions asked =
        Fleets.with(
            d,
            o -> {
              o.onFailure = OnFailure.PAUSE;
              o.acknowledgeBreakingChanges = true;
              o.maxUnavailable = java.util.Map.of(ComponentKind.WORKER, 2);
              o.minHealthy = Duration.ofMinutes(1);
            });

    Preflight.Result r = check(fleet, "1.0.0", asked);

    assertThat(r.passed()).isFalse();
    assertThat(
            r.findings().stream()
                .filter(f -> f.code().equals("OPTION_NEEDS_ROLLING"))
                .map(Finding::message))
        .containsExactly(
            "maxUnavailable is a ROLLING option (FULL_STOP stops every server of a kind at"
                + " once): leave it unset, or set strategy to ROLLING",
            "minHealthy is a ROLLING option (FULL_STOP stops every server of a kind at"
                + " once): leave it unset, or set strategy to ROLLING");
    assertThat(check(fleet, "1.0.0", d).passed()).as("the defaults are all carried out").isTrue();
  }

  @Test
  void aRollbackWithoutABackupToRestoreIsRefused() {
    List<FleetMember> fleet = List.of(member("w1", "0.21.4", true, false));
    UpgradeOptions noBackup = Fleets.options(false, MigrationMode.AUTO, null, false);

    Preflight.Result r = check(fleet, "1.0.0", noBackup);

    assertThat(r.passed()).isFalse();
    assertThat(r.findings()).extracting(Finding::code).contains("ROLLBACK_NEEDS_BACKUP");
    assertThat(
            check(
                    fleet,
                    "1.0.0",
                    Fleets.options(false, MigrationMode.AUTO, null, false, OnFailure.FAIL))
                .passed())
        .as("without a rollback, no backup is needed")
        .isTrue();
    assertThat(
            check(
                    fleet,
                    "1.0.0",
                    Fleets.options(false, MigrationMode.AUTO, null, false, OnFailure.PAUSE))
                .passed())
        .isTrue();
  }

  @Test
  void emptyClusterIsRefused() {
    assertThat(codes(check(List.of(), "1.0.0", Fleets.defaults()))).containsExactly("NO_AGENTS");
  }

  @Test
  void anAgentThatCannotSeeItsServerSaysWhyInTheRefusal() {
    FleetMember ok = member("w1", "0.21.4", true, false);
    FleetMember blind = member("w2", "0.21.4", false, false);
    Heartbeat h = blind.heartbeat();
    FleetMember engineDown =
        new FleetMember(
            new Heartbeat(
                h.schemaVersion(),
                h.messageId(),
                h.agentId(),
                h.cluster(),
                h.kind(),
                h.instance(),
                h.agentVersion(),
                "docker",
                h.capabilities(),
                new Observed(
                    "0.21.4",
                    ComponentState.UNKNOWN,
                    false,
                    0,
                    "the Docker engine does not answer: connection refused"),
                h.gracePeriod(),
                null,
                h.at()),
            false);

    Preflight.Result r = check(List.of(ok, engineDown), "1.0.0", Fleets.defaults());

    assertThat(r.passed()).isFalse();
    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("AGENT_NOT_READY"))
        .singleElement()
        .extracting(Finding::message)
        .asString()
        .contains("prod/worker/w2 (the Docker engine does not answer: connection refused)");
  }

  @Test
  void anAgentOnANewerContractIsRefusedAndMixedBuildsAreNamed() {
    FleetMember ok = member("w1", "0.21.4", true, false);
    FleetMember newer = agentBuild(member("w2", "0.21.4", true, false), "0.9.0", 3);

    Preflight.Result r = check(List.of(ok, newer), "1.0.0", Fleets.defaults());

    assertThat(r.passed()).isFalse();
    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("AGENT_CONTRACT_NEWER"))
        .singleElement()
        .extracting(Finding::message)
        .asString()
        .contains("prod/worker/w2 (contract 3)", "upgrade the coordinator first");
  }

  @Test
  void agentsOfTwoBuildsOnContractsTheCoordinatorServesAreAWarning() {
    FleetMember ok = member("w1", "0.21.4", true, false);
    FleetMember rolled = agentBuild(member("w2", "0.21.4", true, false), "0.9.0", 2);

    Preflight.Result r = check(List.of(ok, rolled), "1.0.0", Fleets.defaults());

    assertThat(r.passed()).isTrue();
    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("MIXED_AGENT_VERSIONS"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Finding.Severity.WARNING);
              assertThat(f.message())
                  .contains(
                      "0.9.0 (contract 2) on prod/worker/w2",
                      "test (contract 1) on prod/worker/w1");
            });
  }

  /** {@code m} as an agent of build {@code agentVersion} writing contract {@code contract}. */
  private static FleetMember agentBuild(FleetMember m, String agentVersion, int contract) {
    Heartbeat h = m.heartbeat();
    return new FleetMember(
        new Heartbeat(
            contract,
            h.messageId(),
            h.agentId(),
            h.cluster(),
            h.kind(),
            h.instance(),
            agentVersion,
            h.driver(),
            h.capabilities(),
            h.component(),
            h.gracePeriod(),
            null,
            h.at()),
        false);
  }

  @Test
  void notReadyLostAndDisagreeingAgentsAreAllReported() {
    List<FleetMember> fleet =
        List.of(
            member("w1", "0.21.4", false, false),
            member("w2", "0.21.4", true, true),
            member("w3", "0.22.0", true, false));
    Preflight.Result r = check(fleet, "1.0.0", Fleets.defaults());
    assertThat(codes(r)).containsExactly("AGENT_LOST", "AGENT_NOT_READY", "VERSIONS_DISAGREE");
    assertThat(r.findings().get(2).message())
        .contains("0.21.4 (prod/worker/w1, prod/worker/w2)")
        .contains("0.22.0 (prod/worker/w3)");
  }

  @Test
  void sameVersionAndDowngradeAreRefusedUnlessAllowed() {
    List<FleetMember> fleet = List.of(member("w1", "0.21.4", true, false));
    assertThat(codes(check(fleet, "v0.21.4", Fleets.defaults())))
        .containsExactly("TARGET_EQUALS_CURRENT");
    assertThat(codes(check(fleet, "0.20.0", Fleets.defaults()))).containsExactly("DOWNGRADE");
    UpgradeOptions allow = Fleets.options(true, MigrationMode.MANUAL, null, true);
    assertThat(codes(check(fleet, "0.20.0", allow)))
        .as("allowed, a downgrade still needs a backup taken on its target")
        .containsExactly("DOWNGRADE_NEEDS_BACKUP");
  }

  @Test
  void anAllowedDowngradeIsTheRestoreOfTheLastUpgradesBackupTakenOnTheTarget() {
    List<FleetMember> fleet = List.of(member("w1", "1.0.0", true, false));
    UpgradeOptions allow = Fleets.options(true, MigrationMode.MANUAL, null, true);
    RestorableUpgrade last =
        new RestorableUpgrade(
            "u-1", KestraVersion.parse("0.22.0"), KestraVersion.parse("1.0.0"), "backup-7");

    Preflight.Result r =
        Preflight.check(
            "prod",
            fleet,
            KestraVersion.parse("0.22.0"),
            Strategy.FULL_STOP,
            allow,
            Fleets.CATALOG,
            Optional.of(last));
    Preflight.Result other =
        Preflight.check(
            "prod",
            fleet,
            KestraVersion.parse("0.21.4"),
            Strategy.FULL_STOP,
            allow,
            Fleets.CATALOG,
            Optional.of(last));

    assertThat(r.passed()).as("%s", r.findings()).isTrue();
    assertThat(r.restoreOf()).isEqualTo("u-1");
    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("DOWNGRADE_BY_RESTORE"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .contains("rollback of upgrade u-1", "backup-7 (taken on 0.22.0)", "dropped"));
    assertThat(codes(other)).containsExactly("DOWNGRADE_NEEDS_BACKUP");
    assertThat(other.findings().get(other.findings().size() - 1).message()).isNotEmpty();
    assertThat(
            other.findings().stream()
                .filter(f -> f.code().equals("DOWNGRADE_NEEDS_BACKUP"))
                .map(Finding::message))
        .singleElement()
        .asString()
        .contains("(u-1, 0.22.0 → 1.0.0) did not take one on 0.21.4");
    assertThat(other.restoreOf()).isNull();
  }

  @Test
  void missingCapabilityIsRefusedWithTheWayOut() {
    List<FleetMember> fleet =
        List.of(Fleets.member(ComponentKind.WORKER, "w1", "0.21.4", true, false, null));
    Preflight.Result r = check(fleet, "1.0.0", Fleets.defaults());
    assertThat(codes(r)).containsExactly("NO_BACKUP_AGENT", "NO_MIGRATE_AGENT");
    assertThat(r.findings().get(0).message()).contains("backup=false");
  }

  @Test
  void unparsableReportedVersionIsRefused() {
    assertThat(
            codes(check(List.of(member("w1", "latest", true, false)), "1.0.0", Fleets.defaults())))
        .containsExactly("VERSION_UNKNOWN");
  }

  @Test
  void agentsWhoseMessagesAreRefusedOrWhoseClocksAreOffAreNamed() {
    FleetMember fine = member("w1", "0.21.4", true, false);
    FleetMember old = member("w2", "0.21.4", true, false);
    FleetMember refused =
        new FleetMember(old.heartbeat(), false, Duration.ZERO, "it speaks contract version 1");
    FleetMember ahead =
        new FleetMember(
            member("w3", "0.21.4", true, false).heartbeat(), false, Duration.ofMinutes(61), null);
    FleetMember behind =
        new FleetMember(
            member("w4", "0.21.4", true, false).heartbeat(), false, Duration.ofSeconds(-45), null);
    FleetMember slightlyOff =
        new FleetMember(
            member("w5", "0.21.4", true, false).heartbeat(), false, Duration.ofSeconds(29), null);

    Preflight.Result r =
        check(List.of(fine, refused, ahead, behind, slightlyOff), "1.0.0", Fleets.defaults());

    assertThat(codes(r)).containsExactly("AGENT_REFUSED", "CLOCK_SKEW");
    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("AGENT_REFUSED"))
        .singleElement()
        .satisfies(
            f -> assertThat(f.message()).endsWith("prod/worker/w2 (it speaks contract version 1)"));
    assertThat(r.findings())
        .filteredOn(f -> f.code().equals("CLOCK_SKEW"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.message())
                    .endsWith("prod/worker/w3 (1 h 1 min ahead), prod/worker/w4 (45 s behind)"));
  }
}
