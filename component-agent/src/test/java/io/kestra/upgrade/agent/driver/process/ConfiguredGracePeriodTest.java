package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grace period reported in heartbeats while no server runs. */
class ConfiguredGracePeriodTest {

  @TempDir Path dir;

  @Test
  void nothingIsKnownBeforeTheFirstReadThenTheFilesValue() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("application.yml"), "kestra:\n  server:\n    terminationGracePeriod: 7m\n");
    ConfiguredGracePeriod grace =
        new ConfiguredGracePeriod(Optional.of(file), "-Dkestra.server.terminationGracePeriod=1m");
    assertThat(grace.current()).isEmpty();

    grace.refresh();

    assertThat(grace.current()).contains(Duration.ofMinutes(7));
  }

  @Test
  void theFileIsReadAgainOnlyWhenItChanged() throws Exception {
    Path file = Files.writeString(dir.resolve("application.yml"), "kestra.server.x: 1\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
    ConfiguredGracePeriod grace =
        new ConfiguredGracePeriod(Optional.of(file), "-Dkestra.server.terminationGracePeriod=90s");
    grace.refresh();
    assertThat(grace.current()).as("from -D").contains(Duration.ofSeconds(90));

    Files.writeString(file, "kestra.server.terminationGracePeriod: 20s\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-01T00:00:00Z")));
    grace.refresh();
    assertThat(grace.current())
        .as("same modification time: not read again")
        .contains(Duration.ofSeconds(90));

    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-01-02T00:00:00Z")));
    grace.refresh();
    assertThat(grace.current()).contains(Duration.ofSeconds(20));
  }

  @Test
  void withoutAFileItIsTheDashDValueOrKestrasDefault() {
    ConfiguredGracePeriod none = new ConfiguredGracePeriod(Optional.empty(), "-Xmx1g");
    none.refresh();
    assertThat(none.current()).contains(Duration.ofMinutes(5));
  }

  @Test
  void anUnreadableValueIsUnknownRatherThanGuessed() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("application.yml"), "kestra.server.terminationGracePeriod: x");
    ConfiguredGracePeriod grace = new ConfiguredGracePeriod(Optional.of(file), "");
    grace.refresh();
    assertThat(grace.current()).isEmpty();
  }
}
