package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraDurations;
import io.kestra.upgrade.common.KestraVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one server is launched, decided before the process exists:
 *
 * <ol>
 *   <li>the command: {@code kestra-<v> server <kind> [--port N] [server args] [-c file]};
 *   <li>{@code JAVA_OPTS}: the configured options, then {@code -Dendpoints.all.port=} the port the
 *       agent probes (so that the port probed is the port bound), then the grace period a START
 *       asks for; appended last, they win over the same {@code -D} earlier in the options;
 *   <li>the grace period the server will apply, by Kestra's precedence ({@link ServerConfigView}).
 * </ol>
 *
 * A {@code -c} file that sets {@code endpoints.all.port} to another port than the probed one is
 * refused: Kestra ranks the file above {@code -D}, so the agent could not make the server bind the
 * port it probes, and would wait for a readiness that never comes. A grace period the file sets
 * wins over the START's: logged, and reported as the one the server applies.
 *
 * @param command the process's arguments, each separate
 * @param javaOpts the process's {@code JAVA_OPTS}
 * @param gracePeriod the grace period the server applies; empty when its configuration sets no
 *     readable one (Kestra would then refuse to start)
 */
record LaunchPlan(List<String> command, String javaOpts, Optional<Duration> gracePeriod) {

  private static final Logger LOG = LoggerFactory.getLogger(LaunchPlan.class);

  LaunchPlan {
    command = List.copyOf(command);
  }

  /**
   * Plans the launch of {@code version}.
   *
   * @param requestedGrace the grace period a START asks for, if any
   * @throws DriverException {@link FailureReason#START_FAILED} when the configuration file cannot
   *     be read or pins another management port
   */
  static LaunchPlan of(
      ProcessDriverSettings settings,
      Launchers launchers,
      KestraVersion version,
      Optional<Duration> requestedGrace)
      throws DriverException {
    ProcessDriverSettings.Launch launch = settings.launch();
    Map<String, String> file = readConfig(launch.configFile());
    int probed = settings.probe().managementPort();
    String javaOpts =
        JavaOpts.append(
            launch.javaOpts(), ServerConfigView.MANAGEMENT_PORT, Integer.toString(probed));
    if (requestedGrace.isPresent()) {
      javaOpts =
          JavaOpts.append(
              javaOpts,
              ServerConfigView.GRACE_PERIOD,
              KestraDurations.format(requestedGrace.get()));
    }
    ServerConfigView view = ServerConfigView.of(file, javaOpts);
    Optional<String> pinnedPort = view.fromFile(ServerConfigView.MANAGEMENT_PORT);
    if (pinnedPort.isPresent() && !pinnedPort.get().trim().equals(Integer.toString(probed))) {
      throw new DriverException(
          FailureReason.START_FAILED,
          "not launched: "
              + launch.configFile().map(Path::toString).orElse("the configuration file")
              + " sets endpoints.all.port="
              + pinnedPort.get()
              + " but the agent probes "
              + probed
              + " (agent.driver.process.management-port); Kestra ranks its -c file above -D, so"
              + " the server would bind the file's port. Remove the key from the file or align"
              + " the agent.");
    }
    Optional<Duration> grace = gracePeriod(view);
    if (requestedGrace.isPresent()
        && grace.isPresent()
        && !grace.get().equals(requestedGrace.get())) {
      LOG.warn(
          "the START asks for a grace period of {} but {} sets {}={}, which Kestra ranks above -D:"
              + " the server will drain for {}",
          requestedGrace.get(),
          launch.configFile().orElse(null),
          ServerConfigView.GRACE_PERIOD,
          view.fromFile(ServerConfigView.GRACE_PERIOD).orElse("?"),
          grace.get());
    }
    List<String> command =
        launchers.serverCommand(
            version, settings.kind(), launch.apiPort(), launch.serverArgs(), launch.configFile());
    return new LaunchPlan(command, javaOpts, grace);
  }

  private static Map<String, String> readConfig(Optional<Path> configFile) throws DriverException {
    if (configFile.isEmpty()) {
      return Map.of();
    }
    try {
      return KestraConfigFile.read(configFile.get());
    } catch (IOException e) {
      throw new DriverException(
          FailureReason.START_FAILED,
          "not launched: cannot read the server's configuration file: " + e.getMessage(),
          e);
    }
  }

  private static Optional<Duration> gracePeriod(ServerConfigView view) {
    try {
      return Optional.of(view.gracePeriod());
    } catch (IllegalArgumentException e) {
      LOG.warn("the server's grace period cannot be read: {}", e.getMessage());
      return Optional.empty();
    }
  }
}
