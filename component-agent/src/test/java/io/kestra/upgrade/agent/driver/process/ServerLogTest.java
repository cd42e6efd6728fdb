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
    assertThat(log.containsSince(0, DrainLines.FORCED_1X)).isTrue();
    assertThat(log.containsSince(offset, DrainLines.FORCED_1X)).isFalse();
  }

  @Test
  void aLineStraddlingTwoReadsIsFound() throws Exception {
    Path file = dir.resolve("server.log");
    String filler = "x".repeat(64 * 1024 - 5);
    Files.writeString(file, filler + DrainLines.FORCED_1X + "\n");
    assertThat(new ServerLog(file).containsSince(0, DrainLines.FORCED_1X)).isTrue();
  }

  @Test
  void recentSinceReadsOnlyThisStopsLines() throws Exception {
    Path file = dir.resolve("server.log");
    Files.writeString(file, "Waiting for all worker threads to terminate (remaining: 9).\n");
    ServerLog log = new ServerLog(file);
    long offset = log.size();
    Files.writeString(
        file,
        "Waiting for all worker job to terminate (remaining: 2).\n",
        StandardOpenOption.APPEND);

    assertThat(log.recentSince(offset)).doesNotContain("remaining: 9").contains("remaining: 2");
    assertThat(log.containsAnySince(offset, DrainLines.FORCED)).isFalse();
  }

  @Test
  void aMissingLogIsEmpty() {
    ServerLog log = new ServerLog(dir.resolve("none.log"));
    assertThat(log.size()).isZero();
    assertThat(log.tail(0, 5)).isEmpty();
  }
}
