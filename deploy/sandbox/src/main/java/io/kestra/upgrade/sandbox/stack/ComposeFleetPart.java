package io.kestra.upgrade.sandbox.stack;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.kestra.upgrade.images.Engine;
import io.kestra.upgrade.images.SimImages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stand-in Kestra fleet as a Compose project ({@value #PROJECT}) on this machine's Docker
 * engine, as an operator following Kestra's Docker guide runs it: the images {@code
 * local/kestra-sim:v<version>} (built here), one service per server named after it, {@code command:
 * server <kind>}, the configuration in {@code KESTRA_CONFIGURATION}, Compose's defaults untouched
 * (its 10 s stop timeout among them). Host networking, a port per server: this engine has no
 * container networks. The sandbox's folder is mounted at the same path, for the stand-in's ledger
 * and fault switches. Started by {@code docker-compose up -d}; the agents then drive the
 * containers.
 */
public final class ComposeFleetPart implements Part {

  /** The Compose project. */
  public static final String PROJECT = "kestra-sandbox";

  private final Layout layout;
  private final Database db;
  private final FleetSpec fleet;
  private final String fleetVersion;

  ComposeFleetPart(Layout layout, Database db, FleetSpec fleet, String fleetVersion) {
    this.layout = layout;
    this.db = db;
    this.fleet = fleet;
    this.fleetVersion = fleetVersion;
  }

  /** The project's Compose file. */
  public Path file() {
    return layout.compose().resolve("docker-compose.yml");
  }

  @Override
  public String name() {
    return "compose fleet";
  }

  /** Builds the images when they changed, writes the file once, then {@code up -d}. */
  @Override
  public void start(PrintStream out) throws IOException, InterruptedException {
    Optional<String> noEngine = Engine.unavailable();
    if (noEngine.isPresent()) {
      throw new StartFailedException("--platform compose: " + noEngine.get());
    }
    try (DockerClient docker = Engine.client()) {
      out.println("· the images " + SimImages.REPOSITORY + ":v<version> (built when changed) …");
      new SimImages(docker, layout.simJar(), layout.simLibs()).ensure(KestraInstallPart.VERSIONS);
    }
    if (!Files.exists(file())) {
      // written once: after an upgrade it names the new version, as an operator's file would
      Files.createDirectories(layout.compose());
      Files.writeString(file(), yaml(), StandardCharsets.UTF_8);
    }
    out.println("· docker-compose up -d (" + file() + ")");
    Tool.run(compose("up", "-d"), layout.logs().resolve("compose-up.log"));
  }

  /** {@code docker-compose -p <project> -f <file> <args>}. */
  public List<String> compose(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of("docker-compose", "-p", PROJECT, "-f", file().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  String yaml() {
    StringBuilder y =
        new StringBuilder(
            "# The sandbox's stand-in Kestra fleet, shaped like Kestra's docker-compose.yml: one\n"
                + "# service per server, its configuration in KESTRA_CONFIGURATION. Host network,"
                + " a port\n# per server (this engine has no container networks).\n"
                + "services:\n");
    for (FleetSpec.Server s : fleet.servers()) {
      y.append("  ").append(s.instance()).append(":\n");
      y.append("    image: ").append(SimImages.image(fleetVersion, true)).append('\n');
      y.append("    network_mode: host\n");
      y.append("    command: server ").append(s.kind());
      s.serverArgs().forEach(a -> y.append(' ').append(a));
      y.append('\n');
      y.append("    volumes:\n");
      y.append("      - ").append(layout.home()).append(':').append(layout.home()).append('\n');
      y.append("    environment:\n");
      y.append("      KESTRA_CONFIGURATION: |\n");
      for (String line :
          KestraConfig.yaml(db, s, layout.faults(), layout.ledger(), fleet.profile()).split("\n")) {
        y.append("        ").append(line).append('\n');
      }
    }
    return y.toString();
  }

  @Override
  public boolean running() {
    return !containers().isEmpty();
  }

  @Override
  public PartStatus status() {
    List<Container> all = containers();
    long up = all.stream().filter(c -> "running".equals(c.getState())).count();
    return new PartStatus(
        name(),
        all.isEmpty() ? "absent" : up + "/" + all.size() + " running",
        "-",
        "Compose project " + PROJECT + " (" + file() + ")");
  }

  /**
   * Removes every container of the project, those the agents kept or created included (they carry
   * the project's labels too), as {@code docker-compose down} would and more.
   */
  @Override
  public void stop() {
    if (Engine.unavailable().isPresent()) {
      return;
    }
    try (DockerClient docker = Engine.client()) {
      for (Container c : containers(docker)) {
        docker.removeContainerCmd(c.getId()).withForce(true).exec();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The ids of the fleet's containers, with their creation time: a recreated one differs. */
  List<String> containerIds() {
    return containers().stream().map(c -> c.getId() + "@" + c.getCreated()).sorted().toList();
  }

  private List<Container> containers() {
    if (Engine.unavailable().isPresent()) {
      return List.of();
    }
    try (DockerClient docker = Engine.client()) {
      return containers(docker);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Container> containers(DockerClient docker) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("com.docker.compose.project", PROJECT))
        .exec();
  }
}
