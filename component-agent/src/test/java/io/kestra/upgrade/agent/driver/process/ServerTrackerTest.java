package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.KestraVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  @Test
  void anAdoptedServerThatBecomesAZombieIsReportedStopped() throws Exception {
    // a "java" running "server worker" (a copy of sh, waiting for a file) whose parent never reaps
    // it: once it ends it stays a zombie, which ProcessHandle calls alive
    Path java = dir.resolve("java");
    Files.copy(Path.of("/bin/sh"), java, StandardCopyOption.COPY_ATTRIBUTES);
    process =
        new ProcessBuilder(
                "sh",
                "-c",
                "\"$0\" -c 'while [ ! -e go ]; do sleep 0.05; done' server worker & exec sleep 30",
                java.toString())
            .directory(dir.toFile())
            .start();
    ProcessHandle server =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> process.toHandle().children().findFirst(), Optional::isPresent)
            .orElseThrow();
    ServerRecordStore store = new ServerRecordStore(dir);
    store.write(
        new ServerRecord(
            server.pid(), "0.21.4", server.info().startInstant().orElse(null), null, null, false));
    ServerTracker tracker = new ServerTracker(store, Optional.of(V));
    ServerRecord record = tracker.load().orElseThrow();
    ServerHandle adopted = ServerHandle.adopt(record, ComponentKind.WORKER).orElseThrow();
    tracker.adopted(adopted);
    assertThat(tracker.state(false)).isEqualTo(ComponentState.STARTING);

    Files.createFile(dir.resolve("go"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Pids.isZombie(server.pid()));
    assertThat(server.isAlive()).as("what the JDK says").isTrue();
    assertThat(tracker.live()).isEmpty();
    assertThat(adopted.awaitExit(Duration.ofSeconds(5))).isTrue();
    assertThat(ServerHandle.adopt(record, ComponentKind.WORKER)).as("adopted again").isEmpty();
    assertThat(tracker.state(false))
        .as("an exit nobody asked for")
        .isEqualTo(ComponentState.FAILED);
    tracker.stopBegins();
    tracker.stopEnded();
    assertThat(tracker.state(false)).isEqualTo(ComponentState.STOPPED);
  }
}
