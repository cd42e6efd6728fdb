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
            "Unknown Kestra version 0.20.4: kestra-sim only stands in for 0.21.x, 0.22.x, 1.0.x");
    assertThatThrownBy(() -> VersionCatalog.resolve("1.1.0"))
        .isInstanceOf(UnknownVersionException.class);
    assertThatThrownBy(() -> VersionCatalog.resolve("latest"))
        .isInstanceOf(UnknownVersionException.class)
        .hasMessageContaining("'latest' is not a Kestra version");
  }
}
