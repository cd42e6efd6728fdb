package io.kestra.upgrade.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotModifiedException;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StopMode;
import io.kestra.upgrade.agent.driver.StopOutcome;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.agent.driver.process.DrainLines;
import io.kestra.upgrade.agent.driver.process.ExitCodes;
import io.kestra.upgrade.agent.driver.process.ManagementClient;
import io.kestra.upgrade.agent.driver.process.ServerStopper;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Observed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a server's container as the process driver stops a process: the engine sends the
 * container's stop signal (SIGTERM for Kestra) and kills it only when what is left of grace period
 * plus kill margin, counted from the request, has passed; meanwhile the running task count is read
 * from the management port and reported. The outcome comes from the exit code (137: the engine had
 * to kill it) and from Kestra's own "forcing" lines in the container's log.
 */
final class ContainerStopper {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerStopper.class);
  private static final int LOG_LINES = 400;

  private final DockerClient docker;
  private final DockerDriverSettings settings;
  private final Clock clock;

  ContainerStopper(DockerClient docker, DockerDriverSettings settings, Clock clock) {
    this.docker = docker;
    this.settings = settings;
    this.clock = clock;
  }

  StopOutcome stop(
      InspectContainerResponse c,
      StopRequest request,
      Duration grace,
      ManagementClient management,
      Observed lastSeen,
      Progress progress)
      throws DriverException, InterruptedException {
    Duration margin = request.killMargin().orElse(settings.limits().killMargin());
    Instant killAt = request.requestedAt().plus(grace).plus(margin);
    Instant began = clock.instant();
    // the engine counts its time-out in whole seconds from now: never less than what is left
    long timeout = Math.max(1, (Duration.between(began, killAt).toMillis() + 999) / 1000);
    int tasksAtStop = management.runningTasks().orElse(lastSeen.inFlightTasks());
    LOG.info(
        "stopping container {}: stop signal now, {} task run(s) running, killed by the engine in {} s"
            + " if still running (grace {} + margin {})",
        c.getName(),
        tasksAtStop,
        timeout,
        grace,
        margin);
    CompletableFuture<Void> stopped =
        CompletableFuture.runAsync(
            () -> {
              try {
                docker.stopContainerCmd(c.getId()).withTimeout((int) timeout).exec();
              } catch (NotModifiedException e) {
                // it stopped by itself meanwhile
              }
            });
    Duration interval = settings.management().interval();
    while (true) {
      try {
        stopped.get(interval.toMillis(), TimeUnit.MILLISECONDS);
        break;
      } catch (TimeoutException e) {
        OptionalInt running = management.runningTasks();
        progress.report(
            "stopping: "
                + (running.isPresent()
                    ? running.getAsInt() + " task run(s) still running"
                    : "draining")
                + "; the engine kills it in "
                + Math.max(0, Duration.between(clock.instant(), killAt).toSeconds())
                + " s");
      } catch (ExecutionException e) {
        throw new DriverException(
            FailureReason.STOP_FAILED,
            "the engine could not stop " + c.getName() + ": " + e.getCause().getMessage(),
            e.getCause());
      } catch (InterruptedException e) {
        stopped.cancel(true);
        throw e;
      }
    }
    InspectContainerResponse after;
    try {
      after = docker.inspectContainerCmd(c.getId()).exec();
    } catch (DockerException e) {
      throw new DriverException(
          FailureReason.STOP_FAILED,
          "cannot inspect " + c.getName() + " after its stop: " + e.getMessage(),
          e);
    }
    if (Boolean.TRUE.equals(after.getState().getRunning())) {
      throw new DriverException(
          FailureReason.STOP_FAILED, c.getName() + " still runs after the engine's stop");
    }
    int code =
        after.getState().getExitCodeLong() == null
            ? -1
            : after.getState().getExitCodeLong().intValue();
    boolean killed = code == ExitCodes.SIGKILL;
    String log = ContainerLogs.tail(docker, c.getId(), began.minusSeconds(1), LOG_LINES);
    boolean forcedLine = DrainLines.FORCED.stream().anyMatch(log::contains);
    StopMode mode =
        ServerStopper.mode(
            killed, code < 0 ? OptionalInt.empty() : OptionalInt.of(code), forcedLine);
    LOG.info(
        "container {} stopped with exit code {}: {}",
        c.getName(),
        code < 0 ? "unknown" : ExitCodes.describe(code),
        mode.wireName());
    return new StopOutcome(mode, tasksAtStop);
  }
}
