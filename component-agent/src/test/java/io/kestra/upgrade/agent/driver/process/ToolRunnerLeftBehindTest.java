package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool an agent started and never saw end (the agent was killed, the tool lives on, no child of
 * the next agent): the next agent finds it from its record, waits for it or stops it at its
 * time-out, and says so; it never runs it again.
 */
class ToolRunnerLeftBehindTest {

  @TempDir Path state;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  /** A process as a killed agent's ToolRunner would have left it: running, and recorded. */
  private Process leftBehind(String seconds, Instant deadline) throws Exception {
    ToolRecords records = new ToolRecords(state.resolve("tool-logs/running"));
    Path record =
        records.begin(
            "pg_dump",
            deadline,
            List.of("sleep", seconds),
            state.resolve("tool-logs/pg_dump-1.log"));
    Process sleep = new ProcessBuilder("sleep", seconds).start();
    started.add(sleep);
    records.started(record, sleep.toHandle());
    return sleep;
  }

  /** As a killed agent would have left it between recording the tool and writing its pid. */
  private Process startedUnrecorded(String seconds) throws Exception {
    Path output = Files.createDirectories(state.resolve("tool-logs")).resolve("pg_dump-2.log");
    new ToolRecords(state.resolve("tool-logs/running"))
        .begin("pg_dump", Instant.now().plusSeconds(60), List.of("sleep", seconds), output);
    Process sleep = new ProcessBuilder("sleep", seconds).redirectOutput(output.toFile()).start();
    started.add(sleep);
    return sleep;
  }

  private ToolRunner nextAgentsRunner() {
    return new ToolRunner(state.resolve("tool-logs"), Clock.systemUTC(), Duration.ofMillis(100));
  }

  @Test
  void aToolStillRunningIsWaitedForWithProgressAndNamedNotRunAgain() throws Exception {
    Process tool = leftBehind("1.5", Instant.now().plusSeconds(60));
    List<String> progress = new ArrayList<>();

    Optional<String> found = nextAgentsRunner().settleLeftBehind(progress::add);

    assertThat(tool.isAlive()).as("waited for until it ended").isFalse();
    assertThat(found)
        .get()
        .asString()
        .contains("pg_dump (pid " + tool.pid())
        .contains("found, not run again, waited for until it ended")
        .contains("exit status is unknown");
    assertThat(progress).isNotEmpty().allMatch(p -> p.startsWith("waiting for pg_dump"));
    assertThat(Files.list(state.resolve("tool-logs/running"))).as("record settled").isEmpty();
    assertThat(nextAgentsRunner().settleLeftBehind(p -> {})).as("settled once").isEmpty();
  }

  @Test
  void aToolPastItsTimeOutIsStoppedAsItsAgentWouldHaveStoppedIt() throws Exception {
    Process tool = leftBehind("60", Instant.now().minusSeconds(1));

    Optional<String> found = nextAgentsRunner().settleLeftBehind(p -> {});

    assertThat(tool.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(found).get().asString().contains("stopped at its time-out");
  }

  @Test
  void aToolThatEndedMeanwhileIsReportedAndAReusedPidIsNotMistakenForIt() throws Exception {
    Process tool = leftBehind("0", Instant.now().plusSeconds(60));
    tool.waitFor();
    // a live process whose start time is not the record's: the pid was reused by another process
    Process other = new ProcessBuilder("sleep", "30").start();
    started.add(other);
    Path record = state.resolve("tool-logs/running/migrate-" + other.pid() + ".properties");
    Files.writeString(
        record,
        "name=migrate\npid="
            + other.pid()
            + "\nstarted=2020-01-01T00\\:00\\:00Z\ndeadline="
            + Instant.now().plusSeconds(60).toString().replace(":", "\\:")
            + "\ncommand=migrate\noutput=/tmp/migrate.log\n");

    Optional<String> found = nextAgentsRunner().settleLeftBehind(p -> {});

    assertThat(found)
        .get()
        .asString()
        .contains("pg_dump (pid " + tool.pid() + ", started")
        .contains("migrate (pid " + other.pid())
        .contains("had ended before this agent started");
    assertThat(other.isAlive()).as("another process on the pid is left alone").isTrue();
  }

  @Test
  void aToolWhosePidWasNeverWrittenIsFoundByItsOutputAndWaitedFor() throws Exception {
    Process tool = startedUnrecorded("1.5");

    Optional<String> found = nextAgentsRunner().settleLeftBehind(p -> {});

    assertThat(tool.isAlive()).as("waited for until it ended").isFalse();
    assertThat(found)
        .get()
        .asString()
        .contains("pg_dump (started as the agent was killed, pid not recorded)")
        .contains("found, not run again, waited for until it ended");
  }

  @Test
  void aToolRecordedButNeverStartedIsReportedAsEnded() throws Exception {
    new ToolRecords(state.resolve("tool-logs/running"))
        .begin(
            "migrate-1.0.0",
            Instant.now().plusSeconds(60),
            List.of("kestra", "migrate"),
            state.resolve("tool-logs/migrate-1.0.0-1.log"));

    Optional<String> found = nextAgentsRunner().settleLeftBehind(p -> {});

    assertThat(found)
        .get()
        .asString()
        .contains("migrate-1.0.0 (started as the agent was killed, pid not recorded)")
        .contains("had ended before this agent started");
  }

  @Test
  void nothingLeftBehindSaysNothing() throws Exception {
    assertThat(nextAgentsRunner().settleLeftBehind(p -> {})).isEmpty();
  }
}
