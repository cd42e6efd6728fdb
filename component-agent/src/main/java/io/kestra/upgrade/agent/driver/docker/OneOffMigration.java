package io.kestra.upgrade.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.process.DatabaseMigrator;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guide's {@code kestra sys database migrate} in a one-off container of the new image with the
 * server's own configuration (environment, mounts, network, its {@code -c} file if it names one):
 * what {@code docker-compose run --rm <service> sys database migrate} does. It never restarts and
 * publishes no port; it is removed once its output is read, also when it fails or times out.
 */
final class OneOffMigration {

  private static final Logger LOG = LoggerFactory.getLogger(OneOffMigration.class);
  private static final int TAIL_LINES = 40;

  private final DockerClient docker;
  private final DockerState state;
  private final Clock clock;
  private final Duration interval;

  OneOffMigration(DockerClient docker, DockerState state, Clock clock, Duration interval) {
    this.docker = docker;
    this.state = state;
    this.clock = clock;
    this.interval = interval;
  }

  void run(
      ContainerSpec server,
      String image,
      KestraVersion version,
      Duration timeout,
      Progress progress)
      throws DriverException, InterruptedException {
    Instant began = clock.instant();
    String name = server.name() + "-migrate-" + version + "-" + began.getEpochSecond();
    List<String> command = new ArrayList<>(List.of("sys", "database", "migrate"));
    command.addAll(configOptions(server.command()));
    String id;
    try {
      id =
          server
              .create(
                  docker,
                  image,
                  name,
                  command,
                  server.env(),
                  Map.of(DockerDriver.CREATED_BY, "kestra-upgrade-agent"))
              .withHostConfig(oneOff(server))
              .exec()
              .getId();
    } catch (DockerException e) {
      throw new DriverException(
          FailureReason.MIGRATION_FAILED,
          "cannot create the migration container " + name + ": " + e.getMessage(),
          e);
    }
    state.created(id);
    try {
      LOG.info("migrating Kestra's database with {} in one-off container {}", image, name);
      docker.startContainerCmd(id).exec();
      Instant deadline = began.plus(timeout);
      InspectContainerResponse c = docker.inspectContainerCmd(id).exec();
      while (Boolean.TRUE.equals(c.getState().getRunning())) {
        if (!clock.instant().isBefore(deadline)) {
          throw new DriverException(
              FailureReason.MIGRATION_FAILED,
              "the migration with "
                  + image
                  + " did not end within "
                  + timeout
                  + "; last lines:\n"
                  + ContainerLogs.tail(docker, id, began.minusSeconds(1), TAIL_LINES));
        }
        progress.report(
            "migrating with "
                + version
                + " ("
                + Duration.between(began, clock.instant()).toSeconds()
                + " s)");
        Thread.sleep(interval.toMillis());
        c = docker.inspectContainerCmd(id).exec();
      }
      long code = c.getState().getExitCodeLong() == null ? -1 : c.getState().getExitCodeLong();
      String output = ContainerLogs.tail(docker, id, began.minusSeconds(1), 2_000);
      if (code != 0 || !output.contains(DatabaseMigrator.SUCCESS_LINE)) {
        throw new DriverException(
            FailureReason.MIGRATION_FAILED,
            "the migration with "
                + image
                + " exited with code "
                + code
                + (code == 0 ? " without reporting success" : "")
                + "; last lines:\n"
                + lastLines(output));
      }
      LOG.info("the migration with {} succeeded", image);
    } finally {
      remove(id);
    }
  }

  /** The server's {@code -c}/{@code --config} option, which the migration needs too. */
  static List<String> configOptions(List<String> command) {
    List<String> options = new ArrayList<>();
    for (int i = 0; i < command.size(); i++) {
      String a = command.get(i);
      if ((a.equals("-c") || a.equals("--config")) && i + 1 < command.size()) {
        options.add(a);
        options.add(command.get(i + 1));
      } else if (a.startsWith("--config=")) {
        options.add(a);
      }
    }
    return options;
  }

  private static HostConfig oneOff(ContainerSpec server) {
    return server
        .hostConfig()
        .withRestartPolicy(RestartPolicy.noRestart())
        .withPortBindings(new Ports())
        .withAutoRemove(false);
  }

  private void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException e) {
      // gone already
    } catch (DockerException e) {
      LOG.warn(
          "cannot remove the migration container {}: {}", DockerDriver.shortId(id), e.getMessage());
      return;
    }
    state.removed(id);
  }

  private static String lastLines(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
  }
}
