package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StartRequest;
import io.kestra.upgrade.agent.driver.StopMode;
import io.kestra.upgrade.agent.driver.StopOutcome;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.agent.testing.Sims;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a busy worker: a stand-in fleet (executor and scheduler feeding task runs of 3 to 4 s)
 * and a worker driven by the process driver, stopped under each grace rule.
 */
class WorkerStopIT {

  private static final KestraVersion VERSION = KestraVersion.parse("0.21.4");
  private static final KestraVersion V2_0 = KestraVersion.parse("2.0.0");
  private static final Map<String, String> STEADY_WORK =
      Map.of(
          "kestra.sim.scheduler.rate", "2",
          "kestra.sim.task.min-duration", "3s",
          "kestra.sim.task.max-duration", "4s");

  @TempDir static Path dir;
  private static TestPostgres.Database db;
  private static ProcessDriver executor;
  private static ProcessDriver scheduler;
  private ProcessDriver worker;

  @BeforeAll
  static void fleet() throws Exception {
    Sims.install(dir.resolve("install"));
    db = TestPostgres.newDatabase("agent_stop");
    executor = driver(ComponentKind.EXECUTOR, "executor");
    // one after the other: both would migrate the fresh schema at start
    executor.start(VERSION, StartRequest.defaults(), Progress.none());
    scheduler = driver(ComponentKind.SCHEDULER, "scheduler");
    scheduler.start(VERSION, StartRequest.defaults(), Progress.none());
  }

  @AfterAll
  static void stopFleet() {
    executor.close();
    scheduler.close();
    Sims.killAll();
  }

  @AfterEach
  void stopWorker() throws Exception {
    if (worker != null) {
      worker.close();
      Files.deleteIfExists(dir.resolve("faults.properties"));
    }
  }

  private static ProcessDriver driver(ComponentKind kind, String name) {
    int port = Sims.freePort();
    Path config = Sims.configFile(dir.resolve(name).resolve("application.yml"), db, STEADY_WORK);
    ProcessDriver driver =
        new ProcessDriver(
            new ProcessDriverSettings(
                dir.resolve("install"),
                kind,
                dir.resolve(name),
                new ProcessDriverSettings.Boot(Optional.empty(), false),
                new ProcessDriverSettings.Launch(
                    kind == ComponentKind.WORKER ? List.of("-t", "2") : List.of(),
                    OptionalInt.of(Sims.freePort()),
                    Optional.of(config),
                    "-Dkestra.sim.faults=" + dir.resolve("faults.properties"),
                    dir.resolve(name).resolve("server.log")),
                new ProcessDriverSettings.Probe(port, Duration.ofMillis(250)),
                new ProcessDriverSettings.Limits(
                    Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(1)),
                Optional.empty()),
            Clock.systemUTC());
    driver.boot();
    return driver;
  }

  private ProcessDriver busyWorker(String name, Optional<Duration> serverGrace) throws Exception {
    return busyWorker(name, VERSION, serverGrace);
  }

  private ProcessDriver busyWorker(
      String name, KestraVersion version, Optional<Duration> serverGrace) throws Exception {
    worker = driver(ComponentKind.WORKER, name);
    worker.start(version, new StartRequest(Optional.empty(), serverGrace), Progress.none());
    await().atMost(Sims.patience()).until(() -> worker.observe().inFlightTasks() > 0);
    return worker;
  }

  private static StopOutcome stop(
      ProcessDriver driver, Duration grace, Duration margin, List<String> progress)
      throws Exception {
    return driver.stop(
        new StopRequest(Optional.of(grace), Optional.of(margin), Instant.now()), progress::add);
  }

  @Test
  void aWorkerWhoseTasksEndWithinTheGracePeriodStopsGracefully() throws Exception {
    ProcessDriver busy = busyWorker("graceful", Optional.empty());
    List<String> progress = new CopyOnWriteArrayList<>();

    StopOutcome outcome = stop(busy, Duration.ofSeconds(30), Duration.ofSeconds(10), progress);

    assertThat(outcome.mode()).isEqualTo(StopMode.GRACEFUL);
    assertThat(busy.lastExitCode()).as("a JVM ended by SIGTERM").hasValue(143);
    assertThat(outcome.tasksAtStop()).isPositive();
    assertThat(progress)
        .anyMatch(p -> p.matches("stopping: [1-9][0-9]* task run\\(s\\) still running.*"));
    assertThat(busy.observe().state()).isEqualTo(ComponentState.STOPPED);
    assertThat(Files.readString(dir.resolve("graceful").resolve("server.log")))
        .contains("Waiting for all worker threads to terminate")
        .doesNotContain(DrainLines.FORCED_1X);
  }

  @Test
  void aWorkerStillBusyWhenItsOwnGraceEndsForcesItsTasksAndIsNotKilled() throws Exception {
    // the server's grace (given at START) is 1 s; the agent would kill only after 1 s + 20 s
    ProcessDriver busy = busyWorker("forced", Optional.of(Duration.ofSeconds(1)));
    Instant before = Instant.now();

    StopOutcome outcome =
        stop(busy, Duration.ofSeconds(1), Duration.ofSeconds(20), new CopyOnWriteArrayList<>());

    assertThat(outcome.mode()).isEqualTo(StopMode.FORCED);
    assertThat(busy.lastExitCode()).hasValue(143);
    assertThat(outcome.tasksAtStop()).isPositive();
    assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(15));
    assertThat(busy.observe().state()).isEqualTo(ComponentState.STOPPED);
    assertThat(Files.readString(dir.resolve("forced").resolve("server.log")))
        .contains(DrainLines.FORCED_1X);
  }

  @Test
  void a2xWorkerForcingItsTasksIsRecognisedByItsOwnLines() throws Exception {
    ProcessDriver busy = busyWorker("forced-2x", V2_0, Optional.of(Duration.ofSeconds(2)));
    List<String> progress = new CopyOnWriteArrayList<>();

    StopOutcome outcome = stop(busy, Duration.ofSeconds(2), Duration.ofSeconds(20), progress);

    assertThat(outcome.mode()).isEqualTo(StopMode.FORCED);
    assertThat(busy.lastExitCode()).hasValue(143);
    assertThat(Files.readString(dir.resolve("forced-2x").resolve("server.log")))
        .contains("Waiting for all worker job to terminate (remaining: ")
        .contains(DrainLines.FORCED_2X)
        .doesNotContain(DrainLines.FORCED_1X);
    assertThat(progress)
        .anyMatch(p -> p.matches("stopping: [1-9][0-9]* task run\\(s\\) still running.*"));
  }

  @Test
  void aWorkerThatOutlivesGraceAndMarginIsKilled() throws Exception {
    Files.writeString(dir.resolve("faults.properties"), "shutdown.hang=worker\n");
    ProcessDriver busy = busyWorker("killed", Optional.empty());
    long pid =
        Sims.running().stream()
            .filter(p -> Sims.commandLine(p).contains("server worker"))
            .findFirst()
            .orElseThrow()
            .pid();
    Instant before = Instant.now();

    StopOutcome outcome =
        stop(busy, Duration.ofSeconds(1), Duration.ofSeconds(1), new CopyOnWriteArrayList<>());

    Duration took = Duration.between(before, Instant.now());
    assertThat(outcome.mode()).isEqualTo(StopMode.KILLED);
    assertThat(outcome.tasksAtStop()).isPositive();
    // SIGKILL only once grace + margin (2 s) had passed
    assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }
}
