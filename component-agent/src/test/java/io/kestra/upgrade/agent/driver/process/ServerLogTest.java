package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLogTest {

  @TempDir Path dir;

  @Test
  void tailShowsOnlyTheLinesOfThisRun() throws Exception {
    Path file = dir.resolve("server.log");
    Files.writeString(file, "old run: fine\nold run: Forcing shutdown now\n");
    ServerLog log = new ServerLog(file);
    long offset = log.size();
    Files.writeString(file, "line 1\nline 2\nline 3\n", StandardOpenOption.APPEND);

    assertThat(log.tail(offset, 2)).isEqualTo("line 2\nline 3");
    assertThat(log.tail(offset, 10)).doesNotContain("old run");
    assertThat(log.containsSince(0, ServerStopper.FORCING_LINE)).isTrue();
    assertThat(log.containsSince(offset, ServerStopper.FORCING_LINE)).isFalse();
  }

  @Test
  void aLineStraddlingTwoReadsIsFound() throws Exception {
    Path file = dir.resolve("server.log");
    String filler = "x".repeat(64 * 1024 - 5);
    Files.writeString(file, filler + ServerStopper.FORCING_LINE + "\n");
    assertThat(new ServerLog(file).containsSince(0, ServerStopper.FORCING_LINE)).isTrue();
  }

  @Test
  void aMissingLogIsEmpty() {
    ServerLog log = new ServerLog(dir.resolve("none.log"));
    assertThat(log.size()).isZero();
    assertThat(log.tail(0, 5)).isEmpty();
  }
}
