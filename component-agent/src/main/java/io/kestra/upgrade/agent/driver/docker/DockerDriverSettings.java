package io.kestra.upgrade.agent.driver.docker;

import io.kestra.upgrade.agent.driver.process.ProcessDriverSettings;
import io.kestra.upgrade.common.ComponentKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the {@code docker} driver.
 *
 * @param kind the Kestra server kind the container runs
 * @param stateDir the agent's own folder: which containers the driver renamed or created
 * @param container how to find the server's container
 * @param tags how a version is written in an image tag
 * @param compose the Compose project of a container Compose created
 * @param management where the server's management port is reached
 * @param limits time limits
 * @param database Kestra's database, for BACKUP/RESTORE run beside the agent
 */
public record DockerDriverSettings(
    ComponentKind kind,
    Path stateDir,
    Selector container,
    String tags,
    Compose compose,
    Management management,
    Limits limits,
    Optional<ProcessDriverSettings.Database> database) {

  public DockerDriverSettings {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(container, "container");
    new TagPattern(tags);
    Objects.requireNonNull(compose, "compose");
    Objects.requireNonNull(management, "management");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(database, "database");
  }

  /**
   * The container: by Compose labels ({@code com.docker.compose.project}, {@code service}, {@code
   * container-number}) or by name. Exactly one of the two ways is given.
   *
   * @param name the container's name, or empty
   * @param composeProject the Compose project, or empty
   * @param composeService the Compose service
   * @param containerNumber the replica number of the service (1 for a service that is not scaled)
   */
  public record Selector(
      Optional<String> name,
      Optional<String> composeProject,
      Optional<String> composeService,
      int containerNumber) {

    public Selector {
      if (name.isPresent() == composeProject.isPresent()) {
        throw new IllegalArgumentException(
            "the container is found either by name or by its Compose project and service");
      }
      if (composeProject.isPresent() && composeService.isEmpty()) {
        throw new IllegalArgumentException("a Compose project needs a service");
      }
      if (containerNumber < 1) {
        throw new IllegalArgumentException("container-number starts at 1");
      }
    }

    /** The label filter of a Compose container, empty for a named one. */
    Map<String, String> labels() {
      return composeProject
          .map(
              p ->
                  Map.of(
                      "com.docker.compose.project", p,
                      "com.docker.compose.service", composeService.orElseThrow(),
                      "com.docker.compose.container-number", Integer.toString(containerNumber)))
          .orElse(Map.of());
    }

    /** For messages. */
    public String describe() {
      return name.map(n -> "container " + n)
          .orElseGet(
              () ->
                  "Compose service "
                      + composeProject.orElseThrow()
                      + "/"
                      + composeService.orElseThrow()
                      + " #"
                      + containerNumber);
    }
  }

  /**
   * @param file the Compose file as the agent reads it, when not where Compose recorded it
   * @param command the Compose command and its first words ({@code docker-compose}, or {@code
   *     docker compose})
   */
  public record Compose(Optional<Path> file, List<String> command) {
    public Compose {
      command = List.copyOf(command);
      if (command.isEmpty() || command.get(0).isBlank()) {
        throw new IllegalArgumentException("the Compose command is empty");
      }
    }

    /** Compose v1's command, the file where Compose recorded it. */
    public static Compose defaults() {
      return new Compose(Optional.empty(), List.of("docker-compose"));
    }
  }

  /**
   * @param port the server's management port ({@code endpoints.all.port}, Kestra's 8081)
   * @param host where it is reached: empty for the loopback when the container uses the host's
   *     network, else its name on the container network it shares with the agent
   * @param interval how often the server is observed
   */
  public record Management(int port, Optional<String> host, Duration interval) {}

  /**
   * @param readinessTimeout how long a server may take to be ready
   * @param killMargin added to the grace period before the engine kills a stopping server
   * @param toolTimeout how long a migration or a dump may run
   * @param pullTimeout how long PREPARE may take to pull an image
   */
  public record Limits(
      Duration readinessTimeout, Duration killMargin, Duration toolTimeout, Duration pullTimeout) {}
}
