package io.kestra.upgrade.coordinator.upgrade.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.coordinator.upgrade.plan.release.Release;
import io.kestra.upgrade.coordinator.upgrade.plan.release.Release.BreakingChange;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseChecksTest {

  private static final ReleaseCatalog CATALOG =
      new ReleaseCatalog(
          List.of(
              new Release("0.12", true, false, List.of(), null, null, null),
              new Release(
                  "0.13",
                  true,
                  false,
                  List.of(new BreakingChange("multi-tenancy: tenant_id on most tables", null)),
                  "every index is rebuilt",
                  null,
                  "https://kestra.io/docs/migration-guide/0.13.0"),
              new Release("0.14", true, false, List.of(), null, "0.13.0", null),
              new Release(
                  "1.0",
                  true,
                  false,
                  List.of(new BreakingChange("x", "https://l")),
                  null,
                  null,
                  null),
              new Release("1.0.1", false, true, List.of(), null, null, null)));

  private static List<Finding> check(String from, String to, boolean acknowledged) {
    UpgradeOptions options = Fleets.acknowledging(acknowledged);
    List<Finding> findings = new ArrayList<>();
    ReleaseChecks.check(
        CATALOG, KestraVersion.parse(from), KestraVersion.parse(to), options, findings);
    return findings;
  }

  private static List<String> codes(List<Finding> findings, Finding.Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).map(Finding::code).toList();
  }

  @Test
  void crossingBreakingChangesNeedsTheirAcknowledgementAndNamesThem() {
    List<Finding> refused = check("0.12.3", "0.13.1", false);
    assertThat(codes(refused, Finding.Severity.ERROR)).containsExactly("BREAKING_CHANGES");
    assertThat(refused.get(0).message())
        .contains("acknowledgeBreakingChanges=true")
        .contains("0.13: multi-tenancy: tenant_id on most tables")
        .contains("https://kestra.io/docs/migration-guide/0.13.0");

    List<Finding> acknowledged = check("0.12.3", "0.13.1", true);
    assertThat(codes(acknowledged, Finding.Severity.ERROR)).isEmpty();
    assertThat(codes(acknowledged, Finding.Severity.INFO)).containsExactly("BREAKING_CHANGES");
  }

  @Test
  void aLongMigrationCrossedIsWarnedOf() {
    assertThat(codes(check("0.12.0", "0.13.0", true), Finding.Severity.WARNING))
        .containsExactly("LONG_MIGRATION");
    assertThat(check("0.13.0", "0.13.2", true)).as("within 0.13: nothing crossed").isEmpty();
  }

  @Test
  void aTargetBeyondItsMinimumIsRefusedNamingTheStepBetween() {
    List<Finding> findings = check("0.12.9", "0.14.0", true);
    assertThat(codes(findings, Finding.Severity.ERROR)).containsExactly("UPGRADE_PATH");
    assertThat(findings)
        .filteredOn(f -> f.code().equals("UPGRADE_PATH"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).contains("upgrade to 0.13.0 first"));
    assertThat(codes(check("0.13.4", "0.14.0", true), Finding.Severity.ERROR)).isEmpty();
  }

  @Test
  void anUnknownTargetIsAllowedWithAWarning() {
    List<Finding> findings = check("1.0.1", "1.7.0", true);
    assertThat(codes(findings, Finding.Severity.ERROR)).isEmpty();
    assertThat(codes(findings, Finding.Severity.WARNING)).containsExactly("RELEASE_UNKNOWN");
  }

  @Test
  void aPatchEntryWinsOverItsLineAndIsCrossedOnlyFromBelowIt() {
    assertThat(CATALOG.find(KestraVersion.parse("1.0.1-no-plugins")).orElseThrow().version())
        .isEqualTo("1.0.1");
    assertThat(CATALOG.find(KestraVersion.parse("1.0.2")).orElseThrow().version()).isEqualTo("1.0");
    assertThat(CATALOG.crossed(KestraVersion.parse("1.0.0"), KestraVersion.parse("1.0.1")))
        .extracting(Release::version)
        .containsExactly("1.0.1");
    assertThat(CATALOG.crossed(KestraVersion.parse("0.22.0"), KestraVersion.parse("1.0.1")))
        .extracting(Release::version)
        .containsExactly("1.0", "1.0.1");
  }

  @Test
  void aMalformedEntryIsRefused() {
    assertThatThrownBy(() -> new Release("1", true, false, null, null, null, null))
        .hasMessageContaining("neither major.minor nor major.minor.patch");
    assertThatThrownBy(
            () ->
                new ReleaseCatalog(
                    List.of(
                        new Release("1.0", true, false, null, null, null, null),
                        new Release("1.0", false, false, null, null, null, null))))
        .hasMessageContaining("twice");
  }
}
