package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StopMode;
import io.kestra.upgrade.agent.driver.StopOutcome;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.common.FailureReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the server the way Kestra expects, as its Helm chart does with a 60 s margin:
 *
 * <ol>
 *   <li>Remember on disk that a stop was asked (the server stays down if the agent restarts).
 *   <li>Count the task runs running now, note where the log ends, send SIGTERM.
 *   <li>Every probe interval, read the running count from {@code /prometheus} (else from the
 *       worker's last "Waiting for all worker ... to terminate (remaining: N)" line) and report it.
 *   <li>Only when grace period plus kill margin have passed since the stop was requested, SIGKILL.
 *   <li>The outcome, from how the process ended ({@link ExitCodes}): killed when the agent had to
 *       SIGKILL it, or it exited 137 (killed by someone else) or with any code but Kestra's normal
 *       143 or 0 (it did not finish its shutdown); else forced when Kestra logged that it forced
 *       its tasks ({@link DrainLines}), else graceful. An adopted process's code is unknown: the
 *       log alone decides.
 * </ol>
 */
public final class ServerStopper {

  /** Kestra's {@code kestra.server.terminationGracePeriod} when nothing else says. */
  static final Duration KESTRA_DEFAULT_GRACE = ServerConfigView.KESTRA_DEFAULT_GRACE;

  private static final Logger LOG = LoggerFactory.getLogger(ServerStopper.class);
  private static final Duration AFTER_KILL = Duration.ofSeconds(30);

  private final ProcessDriverSettings settings;
  private final ServerTracker tracker;
  private final Prober prober;
  private final ManagementClient management;
  private final ServerLog log;
  private final Clock clock;

  ServerStopper(
      ProcessDriverSettings settings,
      ServerTracker tracker,
      Prober prober,
      ManagementClient management,
      ServerLog log,
      Clock clock) {
    this.settings = settings;
    this.tracker = tracker;
    this.prober = prober;
    this.management = management;
    this.log = log;
    this.clock = clock;
  }

  StopOutcome stop(StopRequest request, Progress progress)
      throws DriverException, InterruptedException {
    Optional<ServerHandle> live = tracker.live();
    tracker.stopBegins();
    try {
      if (live.isEmpty()) {
        return StopOutcome.nothingRunning();
      }
      return stop(live.get(), request, progress);
    } finally {
      tracker.stopEnded();
      prober.probeNow();
    }
  }

  private StopOutcome stop(ServerHandle server, StopRequest request, Progress progress)
      throws DriverException, InterruptedException {
    Duration grace = request.gracePeriod().or(tracker::gracePeriod).orElse(KESTRA_DEFAULT_GRACE);
    Duration margin = request.killMargin().orElse(settings.limits().killMargin());
    Instant killAt = request.requestedAt().plus(grace).plus(margin);
    int tasksAtStop = runningTasks();
    long logOffset = log.size();
    LOG.info(
        "stopping {} server (pid {}): SIGTERM now, {} task run(s) running, SIGKILL at {} if still"
            + " alive (grace {} + margin {})",
        settings.kind().wireName(),
        server.pid(),
        tasksAtStop,
        killAt,
        grace,
        margin);
    server.terminate();
    boolean killed = false;
    Duration interval = settings.probe().interval();
    while (!server.awaitExit(untilNextPoll(interval, killAt))) {
      Instant now = clock.instant();
      if (!now.isBefore(killAt)) {
        LOG.warn(
            "{} server (pid {}) still alive after grace {} + margin {}: SIGKILL",
            settings.kind().wireName(),
            server.pid(),
            grace,
            margin);
        progress.report("killing the server (SIGKILL): grace period and kill margin are over");
        server.kill();
        killed = true;
        if (!server.awaitExit(AFTER_KILL)) {
          throw new DriverException(
              FailureReason.STOP_FAILED,
              "pid " + server.pid() + " is still alive " + AFTER_KILL + " after SIGKILL");
        }
        break;
      }
      progress.report(
          "stopping: "
              + drainingTasks(logOffset)
              + " task run(s) still running; SIGKILL in "
              + Duration.between(now, killAt).toSeconds()
              + " s");
    }
    OptionalInt code = server.exitCode();
    StopMode mode = mode(killed, code, log.containsAnySince(logOffset, DrainLines.FORCED));
    LOG.info(
        "{} server (pid {}) stopped{}: {}",
        settings.kind().wireName(),
        server.pid(),
        code.isPresent() ? " with exit code " + ExitCodes.describe(code.getAsInt()) : "",
        mode.wireName());
    return new StopOutcome(mode, tasksAtStop);
  }

  /**
   * How a stop ended.
   *
   * @param killed whether the agent sent SIGKILL
   * @param code the exit code, when known (a process this agent launched)
   * @param forcedLine whether the server logged that it forced its tasks
   */
  public static StopMode mode(boolean killed, OptionalInt code, boolean forcedLine) {
    if (killed || (code.isPresent() && !ExitCodes.normalAfterSigterm(code.getAsInt()))) {
      return StopMode.KILLED;
    }
    return forcedLine ? StopMode.FORCED : StopMode.GRACEFUL;
  }

  private int runningTasks() {
    if (!ServerTracker.runsTasks(settings.kind())) {
      return 0;
    }
    return management.runningTasks().orElse(prober.cached().inFlightTasks());
  }

  /**
   * Task runs still running while the server drains: the metric, else the worker's own count in its
   * last waiting line since the stop began, else the last known count.
   */
  private int drainingTasks(long logOffset) {
    int lastKnown = prober.probeNow().inFlightTasks();
    if (!ServerTracker.runsTasks(settings.kind())) {
      return lastKnown;
    }
    OptionalInt metric = management.runningTasks();
    if (metric.isPresent()) {
      return metric.getAsInt();
    }
    return DrainLines.lastRemaining(log.recentSince(logOffset)).orElse(lastKnown);
  }

  private Duration untilNextPoll(Duration interval, Instant killAt) {
    Duration left = Duration.between(clock.instant(), killAt);
    if (left.isNegative() || left.isZero()) {
      return Duration.ofMillis(1);
    }
    return left.compareTo(interval) < 0 ? left : interval;
  }
}
