package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.common.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSwapTest {

  @Test
  void anInstallKeepsTheFirstOriginalOnceAndARestorePutsItBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("worker-1.yml");
    Files.writeString(file, "original: true\n");
    ConfigSwap swap = new ConfigSwap(file);

    swap.install("next: 1\n");
    swap.install("next: 2\n");

    assertThat(file).hasContent("next: 2");
    assertThat(swap.kept()).hasContent("original: true");
    assertThat(swap.restore()).isTrue();
    assertThat(file).hasContent("original: true");
    assertThat(swap.restore()).as("nothing left to put back").isFalse();
    assertThat(file).hasContent("original: true");
    try (var files = Files.list(dir)) {
      assertThat(files).as("no temporary file left").containsExactly(file);
    }
  }

  @Test
  void finishingDropsTheKeptFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("worker-1.yml");
    Files.writeString(file, "original: true\n");
    ConfigSwap swap = new ConfigSwap(file);
    swap.install("next: 1\n");

    assertThat(swap.drop()).isTrue();
    assertThat(swap.kept()).doesNotExist();
    assertThat(swap.restore()).isFalse();
    assertThat(file).hasContent("next: 1");
  }

  @Test
  void aMissingFileCannotBeReplaced(@TempDir Path dir) {
    DriverException e =
        catchThrowableOfType(
            DriverException.class, () -> new ConfigSwap(dir.resolve("none.yml")).install("x: 1"));
    assertThat(e.reason()).isEqualTo(FailureReason.DRIVER_ERROR);
    assertThat(e.getMessage()).contains("no configuration file at");
  }
}
