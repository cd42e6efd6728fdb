package io.kestra.upgrade.coordinator.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.coordinator.upgrade.plan.release.Release;
import io.kestra.upgrade.coordinator.upgrade.plan.release.ReleaseCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseCatalogFilesTest {

  @TempDir Path dir;

  @Test
  void theShippedCatalogKnowsTheGuidesLongMigrationAndTwoPointZerosStartingPoint() {
    ReleaseCatalog shipped = ReleaseCatalogFiles.load(Optional.empty());

    Release r013 = shipped.find(KestraVersion.parse("0.13.4")).orElseThrow();
    assertThat(r013.longMigration()).contains("every index is rebuilt");
    assertThat(r013.migrationGuide()).isEqualTo("https://kestra.io/docs/migration-guide/v0.13.0");
    assertThat(shipped.find(KestraVersion.parse("2.0.0")).orElseThrow().minimumFrom())
        .isEqualTo("1.3.0");
    assertThat(shipped.find(KestraVersion.parse("0.19.3")).orElseThrow().changesSchema())
        .as("0.19 adds no migration")
        .isFalse();
    assertThat(shipped.crossed(KestraVersion.parse("0.21.4"), KestraVersion.parse("1.0.0")))
        .extracting(Release::version)
        .containsExactly("0.22", "0.23", "0.24", "1.0");
  }

  @Test
  void theOperatorsFileReplacesAnEntryAndAddsOthers() throws Exception {
    Path file = dir.resolve("catalog.json");
    Files.writeString(
        file,
        "{\"releases\":[{\"version\":\"1.0\",\"changesSchema\":true,\"breakingChanges\":[]},"
            + "{\"version\":\"9.1\",\"changesSchema\":false,\"previousRunsOnNewSchema\":true}]}");

    ReleaseCatalog catalog = ReleaseCatalogFiles.load(Optional.of(file));

    assertThat(catalog.find(KestraVersion.parse("1.0.0")).orElseThrow().breakingChanges())
        .isEmpty();
    assertThat(catalog.find(KestraVersion.parse("9.1.2")).orElseThrow().previousRunsOnNewSchema())
        .isTrue();
    assertThat(catalog.find(KestraVersion.parse("0.13.0")))
        .as("the shipped entries stay")
        .isPresent();
  }

  @Test
  void aFileThatIsNoCatalogStopsTheCoordinatorNamingTheFileAndTheFault() throws Exception {
    Path typo = dir.resolve("typo.json");
    Files.writeString(typo, "{\"releases\":[{\"version\":\"1.4\",\"changesSchem\":true}]}");
    assertThatThrownBy(() -> ReleaseCatalogFiles.load(Optional.of(typo)))
        .hasMessageContaining(typo.toString())
        .hasMessageContaining("changesSchem");

    Path badVersion = dir.resolve("version.json");
    Files.writeString(badVersion, "{\"releases\":[{\"version\":\"v1\"}]}");
    assertThatThrownBy(() -> ReleaseCatalogFiles.load(Optional.of(badVersion)))
        .hasMessageContaining("neither major.minor nor major.minor.patch");

    assertThatThrownBy(() -> ReleaseCatalogFiles.load(Optional.of(dir.resolve("missing.json"))))
        .hasMessageContaining("cannot be read");
  }
}
