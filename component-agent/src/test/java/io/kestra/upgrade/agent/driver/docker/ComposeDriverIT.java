package io.kestra.upgrade.agent.driver.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StartRequest;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.agent.testing.Sims;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.images.Engine;
import io.kestra.upgrade.images.EngineRequired;
import io.kestra.upgrade.images.SimImages;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker driver on a container that Compose created ({@code docker-compose up -d}, Debian's
 * Compose 1.29): found by its Compose labels, recreated on 1.0.0 with the config hash Compose will
 * compute from the updated file, the file (whose tag is a {@code .env} variable) updated by
 * FINALIZE, after which {@code docker-compose up -d} recreates nothing.
 */
@ExtendWith(EngineRequired.class)
class ComposeDriverIT {

  private static final KestraVersion V0_21 = KestraVersion.parse("0.21.4");
  private static final KestraVersion V1_0 = KestraVersion.parse("1.0.0");

  @TempDir Path project;
  @TempDir Path stateDir;
  private String name;
  private Path file;
  private DockerClient docker;
  private DockerDriver driver;

  @BeforeAll
  static void images() throws IOException {
    try (DockerClient docker = Engine.client()) {
      new SimImages(
              docker,
              Path.of("../deploy/kestra-sim/target/kestra-sim.jar"),
              Path.of("../deploy/kestra-sim/target/lib"))
          .ensure(List.of("0.21.4", "1.0.0"));
    }
  }

  @BeforeEach
  void composeUp() throws Exception {
    docker = Engine.client();
    name = "kucompose" + System.nanoTime();
    TestPostgres.Database db = TestPostgres.newDatabase("compose_driver");
    int management = Sims.freePort();
    file = project.resolve("docker-compose.yml");
    Files.writeString(
        project.resolve(".env"), "# the Kestra image\nKESTRA_TAG=v0.21.4-no-plugins\n");
    Files.writeString(
        file,
        """
        # Kestra, one standalone server (the guide's shape)
        services:
          kestra:
            image: local/kestra-sim:${KESTRA_TAG}   # the upgrade changes .env
            network_mode: host
            command: server standalone --port %d
            environment:
              JAVA_OPTS: "-Dendpoints.all.port=%d"
              KESTRA_CONFIGURATION: |
                datasources:
                  postgres:
                    url: "%s"
                    username: "%s"
                    password: "%s"
                kestra:
                  sim:
                    scheduler:
                      rate: 1
        """
            .formatted(Sims.freePort(), management, db.jdbcUrl(), db.user(), db.password()));
    compose("up", "-d");
    driver =
        new DockerDriver(
            new DockerDriverSettings(
                ComponentKind.STANDALONE,
                stateDir,
                new DockerDriverSettings.Selector(
                    Optional.empty(), Optional.of(name), Optional.of("kestra"), 1),
                "v{version}",
                DockerDriverSettings.Compose.defaults(),
                new DockerDriverSettings.Management(
                    management, Optional.empty(), Duration.ofMillis(250)),
                new DockerDriverSettings.Limits(
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(5),
                    Duration.ofMinutes(2),
                    Duration.ofSeconds(30)),
                Optional.empty()),
            Engine.client(),
            Clock.systemUTC());
    driver.boot();
    await("the server is ready")
        .atMost(Duration.ofSeconds(60))
        .until(() -> driver.observe().ready());
  }

  @AfterEach
  void composeDown() throws Exception {
    if (driver != null) {
      driver.close();
    }
    for (Container c : containers()) {
      docker.removeContainerCmd(c.getId()).withForce(true).exec();
    }
  }

  @Test
  void anUpgradedComposeServiceIsLeftAloneByTheNextUpComposeAndItsFileNamesTheNewVersion()
      throws Exception {
    assertThat(driver.observe().version()).isEqualTo("0.21.4");
    driver.prepare(V1_0);
    driver.stop(
        new StopRequest(Optional.of(Duration.ofSeconds(30)), Optional.empty(), Instant.now()),
        Progress.none());
    driver.start(V1_0, new StartRequest(Optional.empty(), Optional.empty()), Progress.none());
    assertThat(containers()).as("the new container and the kept old one").hasSize(2);

    String finished = driver.finish(V1_0, true, Progress.none());

    assertThat(finished).contains("removed the 0.21.4 container kept for a rollback");
    assertThat(Files.readString(project.resolve(".env")))
        .isEqualTo("# the Kestra image\nKESTRA_TAG=v1.0.0-no-plugins\n");
    assertThat(Files.readString(file)).contains("${KESTRA_TAG}   # the upgrade changes .env");
    List<Container> after = containers();
    assertThat(after)
        .singleElement()
        .satisfies(c -> assertThat(c.getImage()).isEqualTo("local/kestra-sim:v1.0.0-no-plugins"));

    String up = compose("up", "-d");

    assertThat(up).as("docker-compose up -d: " + up).doesNotContain("Recreating");
    assertThat(containers())
        .singleElement()
        .satisfies(c -> assertThat(c.getId()).isEqualTo(after.get(0).getId()));
    assertThat(driver.finish(V1_0, true, Progress.none()))
        .contains("no container was kept")
        .contains("names 1.0.0 already");
    assertThat(driver.observe().version()).isEqualTo("1.0.0");
    assertThat(driver.isRunning(V0_21)).isFalse();
  }

  private List<Container> containers() {
    return new ArrayList<>(
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(ComposeProject.PROJECT, name))
            .exec());
  }

  private String compose(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of("docker-compose", "-p", name, "-f", file.toString()));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(cmd + " ran over 2 minutes");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(cmd + ": " + out).isZero();
    return out;
  }
}
