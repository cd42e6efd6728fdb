package io.kestra.sim.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionCatalogTest {

  @Test
  void eachReleaseLineHasItsSchemaLevel() {
    assertThat(VersionCatalog.resolve("0.21.0").schemaLevel()).isEqualTo(3);
    assertThat(VersionCatalog.resolve("0.21.4").schemaLevel()).isEqualTo(3);
    assertThat(VersionCatalog.resolve("0.22.1").schemaLevel()).isEqualTo(4);
    assertThat(VersionCatalog.resolve("1.0.0").schemaLevel()).isEqualTo(5);
    assertThat(VersionCatalog.resolve("2.0.0").schemaLevel()).isEqualTo(6);
  }

  @Test
  void fromItsSecondPatchTheOneZeroLineCarriesTwoZerosBackportedMigration() {
    assertThat(VersionCatalog.resolve("1.0.1").schemaLevel()).isEqualTo(5);
    assertThat(VersionCatalog.resolve("1.0.2").schemaLevel()).isEqualTo(6);
    assertThat(VersionCatalog.resolve("1.0.3-no-plugins").schemaLevel()).isEqualTo(6);
  }

  @Test
  void eachReleaseLineBehavesAsItsKestraSources() {
    SimVersion v021 = VersionCatalog.resolve("0.21.4");
    SimVersion v022 = VersionCatalog.resolve("0.22.1");
    SimVersion v100 = VersionCatalog.resolve("1.0.0");
    SimVersion v200 = VersionCatalog.resolve("2.0.0");
    assertThat(v021.resubmitsForcedWorkersAtOnce()).isTrue();
    assertThat(v022.resubmitsForcedWorkersAtOnce()).isFalse();
    assertThat(v200.resubmitsForcedWorkersAtOnce()).isFalse();
    assertThat(v100.hasWorkerModule()).isFalse();
    assertThat(v200.hasWorkerModule()).isTrue();
    assertThat(v100.reportsUsageErrors()).isFalse();
    assertThat(v200.reportsUsageErrors()).isTrue();
  }

  @Test
  void flavoursAndReleaseCandidatesBelongToTheirLine() {
    assertThat(VersionCatalog.resolve("v0.21.4-no-plugins").schemaLevel()).isEqualTo(3);
    assertThat(VersionCatalog.resolve("v0.21.4-no-plugins").toString())
        .isEqualTo("0.21.4-no-plugins");
    assertThat(VersionCatalog.resolve("1.0.0-rc2").schemaLevel()).isEqualTo(5);
  }

  @Test
  void unknownLinesAndNonVersionsAreRefused() {
    assertThatThrownBy(() -> VersionCatalog.resolve("0.20.4"))
        .isInstanceOf(UnknownVersionException.class)
        .hasMessage(
            "Unknown Kestra version 0.20.4: kestra-sim only stands in for 0.21.x, 0.22.x, 1.0.x,"
                + " 2.0.x");
    assertThatThrownBy(() -> VersionCatalog.resolve("1.1.0"))
        .isInstanceOf(UnknownVersionException.class);
    assertThatThrownBy(() -> VersionCatalog.resolve("latest"))
        .isInstanceOf(UnknownVersionException.class)
        .hasMessageContaining("'latest' is not a Kestra version");
  }
}
