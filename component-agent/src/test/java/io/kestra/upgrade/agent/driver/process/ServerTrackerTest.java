package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.KestraVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** State tracking with real (tiny) OS processes in place of a server. */
class ServerTrackerTest {

  private static final KestraVersion V = KestraVersion.parse("0.21.4");

  @TempDir Path dir;
  private Process process;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  private ServerTracker launch(String... command) throws Exception {
    ServerTracker tracker = new ServerTracker(new ServerRecordStore(dir), Optional.of(V));
    process = new ProcessBuilder(command).start();
    tracker.launched(
        ServerHandle.launched(process),
        V,
        Optional.of(Duration.ofSeconds(30)),
        Optional.of(Duration.ofSeconds(45)),
        0);
    return tracker;
  }

  @Test
  void aServerGoesFromStartingToRunningToStoppingToStopped() throws Exception {
    ServerTracker tracker = launch("sleep", "30");
    assertThat(tracker.state(false)).isEqualTo(ComponentState.STARTING);
    tracker.markReady();
    assertThat(tracker.state(true)).isEqualTo(ComponentState.RUNNING);
    // ready once, not ready now (a hung webserver): still running, and says it is not ready
    assertThat(tracker.state(false)).isEqualTo(ComponentState.RUNNING);
    tracker.stopBegins();
    assertThat(tracker.state(false)).isEqualTo(ComponentState.STOPPING);
    process.destroy();
    process.waitFor();
    tracker.stopEnded();
    assertThat(tracker.state(false)).isEqualTo(ComponentState.STOPPED);
    assertThat(tracker.live()).isEmpty();
  }

  @Test
  void aServerThatExitsOnItsOwnWithAnErrorHasFailed() throws Exception {
    ServerTracker tracker = launch("sh", "-c", "exit 3");
    process.waitFor();
    assertThat(tracker.state(false)).isEqualTo(ComponentState.FAILED);
  }

  @Test
  void aServerThatExitsOnItsOwnWithZeroTerminatedItselfAndIsStopped() throws Exception {
    ServerTracker tracker = launch("sh", "-c", "exit 0");
    process.waitFor();
    assertThat(tracker.state(false)).isEqualTo(ComponentState.STOPPED);
  }

  @Test
  void aServerSigtermedBySomeoneElseHasFailed() throws Exception {
    ServerTracker tracker = launch("sh", "-c", "exit 143");
    process.waitFor();
    assertThat(tracker.state(false)).isEqualTo(ComponentState.FAILED);
  }

  @Test
  void theGracePeriodOfTheRunningServerIsTheOneItApplies() throws Exception {
    ServerTracker tracker = launch("sleep", "30");
    assertThat(tracker.runningGracePeriod()).contains(Duration.ofSeconds(45));
    assertThat(tracker.requestedGracePeriod()).contains(Duration.ofSeconds(30));
    process.destroy();
    process.waitFor();
    assertThat(tracker.runningGracePeriod()).as("no server runs").isEmpty();
  }

  @Test
  void theRecordOnDiskKnowsPidVersionGraceAndAStopRequest() throws Exception {
    ServerTracker tracker = launch("sleep", "30");
    ServerRecord record = new ServerRecordStore(dir).read().orElseThrow();
    assertThat(record.pid()).isEqualTo(process.pid());
    assertThat(record.version()).isEqualTo("0.21.4");
    assertThat(record.gracePeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(record.runningGracePeriod()).isEqualTo(Duration.ofSeconds(45));
    assertThat(record.processStart()).isNotNull();
    assertThat(record.stopRequested()).isFalse();
    tracker.stopBegins();
    assertThat(new ServerRecordStore(dir).read().orElseThrow().stopRequested()).isTrue();
  }

  @Test
  void onlyTheSameProcessRunningAServerOfTheKindIsAdopted() throws Exception {
    launch("sleep", "30");
    ServerRecord record = new ServerRecordStore(dir).read().orElseThrow();
    // alive, same start time, but not a java "server worker": a reused pid is not adopted
    assertThat(ServerHandle.adopt(record, ComponentKind.WORKER)).isEmpty();
    process.destroyForcibly();
    await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
    assertThat(ServerHandle.adopt(record, ComponentKind.WORKER)).isEmpty();
  }
}
