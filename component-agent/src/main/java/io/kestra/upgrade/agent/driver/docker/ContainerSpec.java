package io.kestra.upgrade.agent.driver.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A container's own configuration, as {@code docker run} or Compose gave it, read back from the
 * engine so that the same container can be created again from another image: command, entrypoint,
 * environment, labels, health check, user, working directory, exposed ports, stop signal, and the
 * whole host configuration (mounts, network mode, restart policy, ports, resources), plus the
 * networks it is attached to with their aliases.
 *
 * <p>What the old image set by default (its entrypoint, command, environment, labels) is left out,
 * so that the new image's own defaults apply, as {@code docker-compose up} does when a tag changes.
 */
final class ContainerSpec {

  private final InspectContainerResponse container;
  private final ContainerConfig imageDefaults;

  private ContainerSpec(InspectContainerResponse container, ContainerConfig imageDefaults) {
    this.container = container;
    this.imageDefaults = imageDefaults;
  }

  /** The spec of {@code container}, told apart from its image's defaults. */
  static ContainerSpec of(DockerClient docker, InspectContainerResponse container) {
    ContainerConfig defaults = docker.inspectImageCmd(container.getImageId()).exec().getConfig();
    return new ContainerSpec(container, defaults);
  }

  /** The container's name, without the engine's leading slash. */
  String name() {
    return container.getName().startsWith("/")
        ? container.getName().substring(1)
        : container.getName();
  }

  /** The network mode: {@code host}, {@code bridge}, a network's name, {@code container:<id>}. */
  String networkMode() {
    return Optional.ofNullable(container.getHostConfig().getNetworkMode()).orElse("default");
  }

  /** The environment the container was given (not its image's defaults). */
  List<String> env() {
    return own(
        container.getConfig().getEnv(), imageDefaults == null ? null : imageDefaults.getEnv());
  }

  /** The command the container runs, whether its own or the image's. */
  List<String> command() {
    String[] cmd = container.getConfig().getCmd();
    return cmd == null ? List.of() : List.of(cmd);
  }

  /**
   * A create command for the same container on {@code image}, named {@code name}, running {@code
   * command}, with {@code env} and the extra {@code labels}.
   */
  CreateContainerCmd create(
      DockerClient docker,
      String image,
      String name,
      List<String> command,
      List<String> env,
      Map<String, String> labels) {
    ContainerConfig c = container.getConfig();
    Map<String, String> allLabels = new HashMap<>(ownLabels());
    allLabels.putAll(labels);
    CreateContainerCmd create =
        docker
            .createContainerCmd(image)
            .withName(name)
            .withHostConfig(container.getHostConfig())
            .withEnv(env)
            .withCmd(command)
            .withLabels(allLabels);
    String[] entrypoint = c.getEntrypoint();
    if (entrypoint != null
        && (imageDefaults == null || !Arrays.equals(entrypoint, imageDefaults.getEntrypoint()))) {
      create.withEntrypoint(entrypoint);
    }
    if (c.getHealthcheck() != null
        && (imageDefaults == null
            || !Objects.equals(c.getHealthcheck(), imageDefaults.getHealthcheck()))) {
      create.withHealthcheck(c.getHealthcheck());
    }
    if (c.getUser() != null && !c.getUser().isEmpty()) {
      create.withUser(c.getUser());
    }
    if (c.getWorkingDir() != null
        && !c.getWorkingDir().isEmpty()
        && (imageDefaults == null || !c.getWorkingDir().equals(imageDefaults.getWorkingDir()))) {
      create.withWorkingDir(c.getWorkingDir());
    }
    if (c.getExposedPorts() != null) {
      create.withExposedPorts(c.getExposedPorts());
    }
    if (c.getHostName() != null && !isHostNetwork()) {
      create.withHostName(c.getHostName());
    }
    primaryNetwork().map(ContainerNetwork::getAliases).ifPresent(create::withAliases);
    return create;
  }

  /** Attaches {@code containerId} to the other networks this container is on, with its aliases. */
  void connectOtherNetworks(DockerClient docker, String containerId) {
    if (container.getNetworkSettings() == null
        || container.getNetworkSettings().getNetworks() == null) {
      return;
    }
    for (Map.Entry<String, ContainerNetwork> n :
        container.getNetworkSettings().getNetworks().entrySet()) {
      if (n.getKey().equals(networkMode())
          || Set.of("host", "none", "bridge", "default").contains(n.getKey())) {
        continue;
      }
      docker
          .connectToNetworkCmd()
          .withNetworkId(n.getKey())
          .withContainerId(containerId)
          .withContainerNetwork(new ContainerNetwork().withAliases(n.getValue().getAliases()))
          .exec();
    }
  }

  /** The container's host configuration (mounts, network mode, restart policy, ports...). */
  com.github.dockerjava.api.model.HostConfig hostConfig() {
    return container.getHostConfig();
  }

  boolean isHostNetwork() {
    return "host".equals(networkMode());
  }

  private Optional<ContainerNetwork> primaryNetwork() {
    if (container.getNetworkSettings() == null
        || container.getNetworkSettings().getNetworks() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(container.getNetworkSettings().getNetworks().get(networkMode()))
        .filter(n -> n.getAliases() != null && !n.getAliases().isEmpty());
  }

  private Map<String, String> ownLabels() {
    Map<String, String> labels = new HashMap<>();
    Map<String, String> mine = container.getConfig().getLabels();
    Map<String, String> image = imageDefaults == null ? null : imageDefaults.getLabels();
    if (mine != null) {
      mine.forEach(
          (k, v) -> {
            if (image == null || !v.equals(image.get(k))) {
              labels.put(k, v);
            }
          });
    }
    return labels;
  }

  private static List<String> own(String[] values, String[] defaults) {
    if (values == null) {
      return List.of();
    }
    List<String> result = new ArrayList<>();
    List<String> fromImage = defaults == null ? List.of() : List.of(defaults);
    for (String v : values) {
      if (!fromImage.contains(v)) {
        result.add(v);
      }
    }
    return result;
  }
}
