package io.kestra.upgrade.agent.driver.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HealthCheck;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StartRequest;
import io.kestra.upgrade.agent.driver.StopMode;
import io.kestra.upgrade.agent.driver.StopOutcome;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.agent.testing.Sims;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.images.Engine;
import io.kestra.upgrade.images.EngineRequired;
import io.kestra.upgrade.images.SimImages;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;

/**
 * The docker driver against the real engine: a stand-in Kestra standalone server in a container
 * started as an operator would ({@code docker run --name ... local/kestra-sim:v0.21.4-no-plugins
 * server standalone}, here through Testcontainers), with task runs of 3 to 4 s in flight.
 */
@ExtendWith(EngineRequired.class)
class DockerDriverIT {

  private static final KestraVersion V0_21 = KestraVersion.parse("0.21.4");
  private static final KestraVersion V1_0 = KestraVersion.parse("1.0.0");
  private static final String OLD_IMAGE = "local/kestra-sim:v0.21.4-no-plugins";
  private static final String NEW_IMAGE = "local/kestra-sim:v1.0.0-no-plugins";

  @TempDir Path stateDir;
  private DockerClient docker;
  private String name;
  private String configuration;
  private int managementPort;
  private DockerDriver driver;

  @BeforeAll
  static void images() {
    try (DockerClient docker = Engine.client()) {
      new SimImages(
              docker,
              Path.of("../deploy/kestra-sim/target/kestra-sim.jar"),
              Path.of("../deploy/kestra-sim/target/lib"))
          .ensure(List.of("0.21.4", "1.0.0"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @BeforeEach
  void server() {
    docker = Engine.client();
    name = "kestra-docker-it-" + System.nanoTime();
    TestPostgres.Database db = TestPostgres.newDatabase("docker_driver");
    configuration =
        "datasources:\n  postgres:\n    url: \"%s\"\n    username: \"%s\"\n    password: \"%s\"\n"
                .formatted(db.jdbcUrl(), db.user(), db.password())
            + "kestra:\n  sim:\n    scheduler:\n      rate: 2\n    task:\n      min-duration: 3s\n"
            + "      max-duration: 4s\n"
            // as the coordinator runs servers: the schema changes only by MIGRATE
            + "flyway:\n  datasources:\n    postgres:\n      enabled: false\n";
    managementPort = Sims.freePort();
    oneShot(OLD_IMAGE, "sys", "database", "migrate");
    server(managementPort, c -> c.withName(name)).start();
    driver = driver(name, stateDir, managementPort);
    driver.boot();
    await("the server is ready")
        .atMost(Duration.ofSeconds(60))
        .until(() -> driver.observe().ready());
  }

  @AfterEach
  void removeContainers() throws Exception {
    if (driver != null) {
      driver.close();
    }
    try (DockerClient cleanup = Engine.client()) {
      for (Container c :
          cleanup.listContainersCmd().withShowAll(true).withNameFilter(List.of(name)).exec()) {
        cleanup.removeContainerCmd(c.getId()).withForce(true).exec();
      }
    }
  }

  /** A standalone server of the old image, as an operator's {@code docker run} starts it. */
  private GenericContainer<?> server(int management, Consumer<CreateContainerCmd> create) {
    return new GenericContainer<>(OLD_IMAGE)
        .withNetworkMode("host")
        .withEnv("KESTRA_CONFIGURATION", configuration)
        .withEnv("JAVA_OPTS", "-Dendpoints.all.port=" + management)
        .withLabel("io.kestra.test", "docker-driver")
        .withCommand("server", "standalone", "--port", Integer.toString(Sims.freePort()))
        .withCreateContainerCmdModifier(create);
  }

  /** The driver of container {@code container}, its management port at {@code management}. */
  private DockerDriver driver(String container, Path state, int management) {
    DockerDriverSettings settings =
        new DockerDriverSettings(
            ComponentKind.STANDALONE,
            state,
            new DockerDriverSettings.Selector(
                Optional.of(container), Optional.empty(), Optional.empty(), 1),
            "v{version}",
            DockerDriverSettings.Compose.defaults(),
            new DockerDriverSettings.Management(
                management, Optional.empty(), Duration.ofMillis(250)),
            new DockerDriverSettings.Limits(
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                Duration.ofMinutes(2),
                Duration.ofSeconds(30)),
            Optional.empty());
    return new DockerDriver(settings, Engine.client(), Clock.systemUTC());
  }

  private void oneShot(String image, String... command) {
    try (GenericContainer<?> c =
        new GenericContainer<>(image)
            .withNetworkMode("host")
            .withEnv("KESTRA_CONFIGURATION", configuration)
            .withCommand(command)
            .withStartupCheckStrategy(
                new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(1)))) {
      c.start();
    }
  }

  private InspectContainerResponse inspect() {
    return docker.inspectContainerCmd(name).exec();
  }

  private StopOutcome stop(Duration grace) throws Exception {
    return stop(grace, Duration.ofSeconds(2));
  }

  private StopOutcome stop(Duration grace, Duration killMargin) throws Exception {
    return driver.stop(
        new StopRequest(Optional.of(grace), Optional.of(killMargin), Instant.now()),
        Progress.none());
  }

  private List<Container> containersOf(String prefix) {
    return docker.listContainersCmd().withShowAll(true).withNameFilter(List.of(prefix)).exec();
  }

  @Test
  void aRunningContainerIsObservedWithItsVersionReadinessAndTasks() {
    assertThat(driver.observe().version()).isEqualTo("0.21.4");
    assertThat(driver.observe().state()).isEqualTo(ComponentState.RUNNING);
    assertThat(driver.isRunning(V0_21)).isTrue();
    assertThat(driver.isRunning(V1_0)).isFalse();
    await("task runs are in flight")
        .atMost(Duration.ofSeconds(30))
        .until(() -> driver.observe().inFlightTasks() > 0);
  }

  @Test
  void aStopWithinTheGracePeriodIsGracefulAndTheContainerStaysStopped() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> driver.observe().inFlightTasks() > 0);

    StopOutcome stopped = stop(Duration.ofSeconds(30));

    assertThat(stopped.mode()).isEqualTo(StopMode.GRACEFUL);
    assertThat(stopped.tasksAtStop()).isPositive();
    assertThat(inspect().getState().getRunning()).isFalse();
    assertThat(inspect().getState().getExitCodeLong()).isEqualTo(143L);
    assertThat(driver.observe().state()).isEqualTo(ComponentState.STOPPED);
    assertThat(stop(Duration.ofSeconds(30)).mode()).isEqualTo(StopMode.NONE);
  }

  @Test
  void withoutAReachableManagementPortTheEnginesHealthCheckSaysWhenItIsReady() throws Exception {
    String other = name + "-health";
    int management = Sims.freePort();
    server(
            management,
            c ->
                c.withName(other)
                    .withHealthcheck(
                        new HealthCheck()
                            .withTest(
                                List.of(
                                    "CMD",
                                    "curl",
                                    "-fs",
                                    "http://localhost:" + management + "/health/readiness"))
                            .withInterval(Duration.ofMillis(500).toNanos())
                            .withRetries(120)))
        .start();
    // a port nothing listens on: as a management port the agent cannot reach
    try (DockerDriver blind = driver(other, stateDir.resolve("health"), Sims.freePort())) {
      blind.boot();

      blind.awaitReady(V0_21, Optional.of(Duration.ofSeconds(60)), Instant.now(), Progress.none());

      assertThat(docker.inspectContainerCmd(other).exec().getState().getHealth().getStatus())
          .isEqualTo("healthy");
      await().atMost(Duration.ofSeconds(5)).until(() -> blind.observe().ready());
    } finally {
      docker.removeContainerCmd(other).withForce(true).exec();
    }
  }

  @Test
  void aGracePeriodShorterThanTheTasksForcesThem() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> driver.observe().inFlightTasks() > 0);

    // the engine kills after 1 s (its time-out counts whole seconds), while the newest of the 3 to
    // 4 s task runs, started at most 0.5 s ago at 2 per second, has 2.5 s left: never graceful
    StopOutcome stopped = stop(Duration.ofMillis(200), Duration.ZERO);

    assertThat(stopped.mode()).isIn(StopMode.FORCED, StopMode.KILLED);
    assertThat(inspect().getState().getRunning()).isFalse();
  }

  @Test
  void aNewVersionRecreatesTheContainerWithItsConfigurationAndKeepsTheOldOne() throws Exception {
    InspectContainerResponse before = inspect();
    driver.prepare(V1_0);
    stop(Duration.ofSeconds(30));
    driver.migrate(V1_0, Optional.empty(), Progress.none());
    assertThat(containersOf(name + "-migrate")).as("the one-off migration is removed").isEmpty();

    driver.start(V1_0, StartRequest.defaults(), Progress.none());

    InspectContainerResponse after = inspect();
    assertThat(after.getId()).isNotEqualTo(before.getId());
    assertThat(after.getConfig().getImage()).as("the flavour is kept").isEqualTo(NEW_IMAGE);
    assertThat(after.getConfig().getCmd()).isEqualTo(before.getConfig().getCmd());
    assertThat(after.getConfig().getEnv())
        .contains(
            "KESTRA_CONFIGURATION=" + configuration,
            "JAVA_OPTS=-Dendpoints.all.port=" + managementPort);
    assertThat(after.getConfig().getLabels()).containsEntry("io.kestra.test", "docker-driver");
    assertThat(after.getHostConfig().getNetworkMode()).isEqualTo("host");
    assertThat(driver.observe().version()).isEqualTo("1.0.0");
    assertThat(driver.isRunning(V1_0)).isTrue();
    InspectContainerResponse kept = docker.inspectContainerCmd(before.getId()).exec();
    assertThat(kept.getName()).isEqualTo("/" + name + "-kestra-upgrade-0.21.4");
    assertThat(kept.getState().getRunning()).isFalse();
  }

  @Test
  void aFailedStartOnTheNewVersionIsUndoneByAStartBackThatBringsBackTheKeptContainer()
      throws Exception {
    String original = inspect().getId();
    stop(Duration.ofSeconds(30));

    // servers start with migration off: 1.0.0 refuses 0.21.4's schema, and exits
    assertThatThrownBy(() -> driver.start(V1_0, StartRequest.defaults(), Progress.none()))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.START_FAILED);
              assertThat(e.getMessage()).contains("exited while starting").contains("Validate");
            });
    String failed = inspect().getId();
    assertThat(failed).isNotEqualTo(original);

    driver.start(V0_21, StartRequest.defaults(), Progress.none());

    assertThat(inspect().getId()).isEqualTo(original);
    assertThat(inspect().getConfig().getImage()).isEqualTo(OLD_IMAGE);
    assertThat(driver.observe().ready()).isTrue();
    assertThat(docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(failed)).exec())
        .as("the container the driver created is removed")
        .isEmpty();
  }

  @Test
  void aMissingImageThatCannotBePulledFailsPrepareNamingItAndStopsNothing() {
    // a version no image is ever built of (0.22.0's may be on the engine: the sandbox builds it)
    assertThatThrownBy(() -> driver.prepare(KestraVersion.parse("9.9.9")))
        .isInstanceOfSatisfying(
            DriverException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(FailureReason.LAUNCHER_MISSING);
              assertThat(e.getMessage()).contains("local/kestra-sim:v9.9.9-no-plugins");
            });
    assertThat(inspect().getState().getRunning()).isTrue();
  }

  @Test
  void aContainerReplacedByHandIsRefusedNamingWhatWasFound() throws Exception {
    String original = inspect().getId();
    docker.stopContainerCmd(original).withTimeout(30).exec();
    docker.renameContainerCmd(original).withName(name + "-by-hand").exec();
    String replacement =
        docker.createContainerCmd(NEW_IMAGE).withName(name).withCmd("--version").exec().getId();
    try {
      assertThatThrownBy(() -> driver.start(V1_0, StartRequest.defaults(), Progress.none()))
          .isInstanceOfSatisfying(
              DriverException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.CONTAINER_CHANGED);
                assertThat(e.getMessage()).contains(replacement.substring(0, 12));
              });
      assertThat(docker.inspectContainerCmd(original).exec().getName())
          .as("nothing of the operator's removed")
          .isEqualTo("/" + name + "-by-hand");
    } finally {
      docker.removeContainerCmd(original).withForce(true).exec();
    }
  }
}
