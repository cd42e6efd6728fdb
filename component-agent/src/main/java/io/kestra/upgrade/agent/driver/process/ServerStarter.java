package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches {@code kestra-<version> server <kind>} and waits for {@code /health/readiness}.
 *
 * <ol>
 *   <li>The launcher must exist and be executable.
 *   <li>A server already running that version is only waited for (START is idempotent); one running
 *       another version is left alone and the START fails.
 *   <li>The launch is planned ({@link LaunchPlan}): {@code --port}, the management port the agent
 *       probes and the grace period the command asks for; a configuration that would make the
 *       server bind another management port is refused before anything runs.
 *   <li>The process gets every argument separately and appends its output to the log file; pid,
 *       version, start time and the grace period it applies are recorded before waiting, so a
 *       restarted agent finds it.
 *   <li>Readiness is polled every probe interval until the deadline, which must leave room for a
 *       start-up migration; a process that exits meanwhile fails the start with its exit code and
 *       the tail of this run's log.
 * </ol>
 */
final class ServerStarter {

  private static final Logger LOG = LoggerFactory.getLogger(ServerStarter.class);
  // enough for a picocli usage error, whose message comes before about 30 lines of usage
  private static final int TAIL_LINES = 40;

  private final ProcessDriverSettings settings;
  private final Launchers launchers;
  private final ServerTracker tracker;
  private final Prober prober;
  private final ServerLog log;
  private final Clock clock;

  ServerStarter(
      ProcessDriverSettings settings,
      Launchers launchers,
      ServerTracker tracker,
      Prober prober,
      ServerLog log,
      Clock clock) {
    this.settings = settings;
    this.launchers = launchers;
    this.tracker = tracker;
    this.prober = prober;
    this.log = log;
    this.clock = clock;
  }

  /** Starts {@code version} (or finds it running) and waits until it is ready. */
  void start(
      KestraVersion version,
      Optional<Duration> readinessTimeout,
      Optional<Duration> gracePeriod,
      Progress progress)
      throws DriverException, InterruptedException {
    Instant since = clock.instant();
    launchers.require(version);
    if (tracker.live().isPresent()) {
      requireRunning(version);
      progress.report(version + " already runs: waiting for readiness");
    } else {
      launch(version, gracePeriod);
    }
    awaitReady(version, readinessTimeout, since, progress);
  }

  /**
   * Launches the server without waiting for readiness.
   *
   * @throws DriverException {@link FailureReason#LAUNCHER_MISSING}, or {@link
   *     FailureReason#START_FAILED} when the process cannot be created
   */
  void launch(KestraVersion version, Optional<Duration> gracePeriod) throws DriverException {
    Path launcher = launchers.require(version);
    LaunchPlan plan = LaunchPlan.of(settings, launchers, version, gracePeriod);
    ProcessBuilder builder = new ProcessBuilder(plan.command());
    builder.directory(settings.installDir().toFile());
    builder.environment().put("JAVA_OPTS", plan.javaOpts());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()));
    // the server must not share the agent's stdin: it outlives the agent
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Files.createDirectories(log.file().toAbsolutePath().getParent());
      long offset = log.size();
      Process process = ZombieReaper.start(builder);
      tracker.launched(
          ServerHandle.launched(process), version, gracePeriod, plan.gracePeriod(), offset);
      LOG.info(
          "launched {} server {} (pid {}), output in {}",
          launcher,
          settings.kind().wireName(),
          process.pid(),
          log.file());
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.START_FAILED, "cannot launch " + launcher + ": " + e.getMessage(), e);
    }
    prober.probeNow();
  }

  /**
   * Waits until the running server, which must run {@code version}, is ready, at most until {@code
   * since + timeout}. A server that is not running (any more) fails as exited while starting.
   */
  void awaitReady(
      KestraVersion version, Optional<Duration> timeout, Instant since, Progress progress)
      throws DriverException, InterruptedException {
    requireRunning(version);
    Duration limit = timeout.orElse(settings.limits().readinessTimeout());
    Instant deadline = since.plus(limit);
    Duration interval = settings.probe().interval();
    while (true) {
      Optional<ServerHandle> live = tracker.live();
      if (live.isEmpty()) {
        throw exitedWhileStarting(version);
      }
      if (prober.probeNow().ready()) {
        LOG.info(
            "{} server {} (pid {}) is ready",
            version,
            settings.kind().wireName(),
            live.get().pid());
        return;
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        throw new DriverException(
            FailureReason.READINESS_TIMEOUT,
            version
                + " server "
                + settings.kind().wireName()
                + " (pid "
                + live.get().pid()
                + ") was not ready within "
                + limit
                + "; it is left running. Last lines of "
                + log.file()
                + ":\n"
                + log.tail(tracker.runLogOffset(), TAIL_LINES));
      }
      progress.report(
          "waiting for "
              + version
              + " to report ready ("
              + Duration.between(since, now).toSeconds()
              + " s of "
              + limit.toSeconds()
              + " s)");
      Duration left = Duration.between(now, deadline);
      Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left.toMillis())));
    }
  }

  /** Fails when the running server runs another version than {@code version}. */
  private void requireRunning(KestraVersion version) throws DriverException {
    Optional<KestraVersion> running = tracker.version();
    if (tracker.live().isPresent() && running.isPresent() && !running.get().equals(version)) {
      throw new DriverException(
          FailureReason.VERSION_MISMATCH,
          "the server runs "
              + running.get()
              + ", not "
              + version
              + ": STOP it first, or send RESTART");
    }
  }

  private DriverException exitedWhileStarting(KestraVersion version) {
    OptionalInt code = lastExitCode();
    prober.probeNow();
    return new DriverException(
        FailureReason.START_FAILED,
        version
            + " server "
            + settings.kind().wireName()
            + " exited while starting"
            + (code.isPresent() ? " with code " + ExitCodes.describe(code.getAsInt()) : "")
            + ". Last lines of "
            + log.file()
            + ":\n"
            + log.tail(tracker.runLogOffset(), TAIL_LINES));
  }

  private OptionalInt lastExitCode() {
    return tracker.lastHandle().map(ServerHandle::exitCode).orElse(OptionalInt.empty());
  }
}
