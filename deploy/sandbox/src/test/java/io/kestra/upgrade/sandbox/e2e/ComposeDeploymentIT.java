package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.kestra.upgrade.common.AgentKeys;
import io.kestra.upgrade.images.Engine;
import io.kestra.upgrade.images.EngineRequired;
import io.kestra.upgrade.images.ProductImages;
import io.kestra.upgrade.images.SimImages;
import io.kestra.upgrade.sandbox.stack.Credentials;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.testsupport.TestKafka;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/compose/docker-compose.yml} used as its comments say, by hand: a {@code .env}
 * beside it, {@code docker-compose up -d}, every server, agent and the coordinator in containers of
 * the images built here. The coordinator upgrades the fleet 0.21.4 → 1.0.0 with executions flowing;
 * the agents rewrite {@code KESTRA_TAG} in {@code .env}; the next {@code up -d} recreates nothing.
 */
@ExtendWith(EngineRequired.class)
class ComposeDeploymentIT {

  private static final List<String> KESTRA =
      List.of("executor", "worker", "scheduler", "webserver", "indexer");

  @TempDir Path project;
  private final String name = "kucompose" + System.nanoTime();
  private final DockerClient docker = Engine.client();

  @AfterEach
  void down() throws Exception {
    for (Container c : containers()) {
      docker.removeContainerCmd(c.getId()).withForce(true).exec();
    }
    docker.close();
  }

  @Test
  void theComposeDeploymentIsUpgradedByItsOwnCoordinatorAndComposeThenRecreatesNothing()
      throws Exception {
    Path repo = Layout.detect().repo();
    new ProductImages(docker).ensure(repo);
    new SimImages(
            docker,
            repo.resolve("deploy/kestra-sim/target/kestra-sim.jar"),
            repo.resolve("deploy/kestra-sim/target/lib"))
        .ensure(List.of("0.21.4", "1.0.0"));
    Files.copy(
        repo.resolve("deploy/compose/docker-compose.yml"), project.resolve("docker-compose.yml"));
    Credentials credentials = new Credentials(project.resolve("secrets-home"));
    credentials.start(new PrintStream(new ByteArrayOutputStream()));
    Path publicKey = project.resolve("jwt-public.pem");
    Files.copy(credentials.publicKey(), publicKey);
    TestPostgres.Database kestraDb = TestPostgres.newDatabase("compose_kestra");
    TestPostgres.Database coordinatorDb = TestPostgres.newDatabase("compose_coordinator");
    StringBuilder env =
        new StringBuilder(
            """
            # written by ComposeDeploymentIT from .env.example
            KESTRA_TAG=v0.21.4
            CLUSTER=compose
            """);
    Map<String, String> values =
        new java.util.LinkedHashMap<>(
            Map.of(
                "COMPOSE_PROJECT_NAME", name,
                "DOCKER_GID",
                    Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid").toString(),
                "KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers(),
                "KESTRA_DB_URL", kestraDb.jdbcUrl(),
                "KESTRA_DB_USER", kestraDb.user(),
                "KESTRA_DB_PASSWORD", kestraDb.password(),
                "COORDINATOR_DB_URL", coordinatorDb.jdbcUrl(),
                "COORDINATOR_DB_USER", coordinatorDb.user(),
                "COORDINATOR_DB_PASSWORD", coordinatorDb.password()));
    values.put("JWT_PUBLIC_KEY", publicKey.toString());
    values.put("COORDINATOR_MASTER_KEY", credentials.masterKey());
    for (String kind : KESTRA) {
      values.put(
          "AGENT_KEY_" + kind.toUpperCase(java.util.Locale.ROOT),
          AgentKeys.deriveText(credentials.masterKey(), "compose/" + kind + "/" + kind + "-1"));
    }
    values.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
    Path dotEnv = project.resolve(".env");
    Files.writeString(dotEnv, env.toString());
    // the agents (uid 185) rewrite .env and write Compose's copies beside the file
    Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(dotEnv, PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.setPosixFilePermissions(publicKey, PosixFilePermissions.fromString("rw-r--r--"));

    compose("run", "--rm", "executor", "sys", "database", "migrate");
    compose("up", "-d");
    Http api = new Http(credentials::operator);
    String coordinator = "http://localhost:28090";
    await("the coordinator ready and five agents ready")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () ->
                StreamSupport.stream(
                            api.get(
                                    coordinator + "/api/v1/agents?cluster=compose",
                                    Duration.ofSeconds(5))
                                .body()
                                .spliterator(),
                            false)
                        .filter(a -> a.path("component").path("ready").asBoolean())
                        .count()
                    == 5);
    await("executions flowing")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> stats().path("running").asLong() > 0);

    Http.Answer started =
        api.post(
            coordinator + "/api/v1/upgrades",
            Map.of(
                "cluster",
                "compose",
                "targetVersion",
                "1.0.0",
                "acknowledgeBreakingChanges",
                true));
    assertThat(started.status()).as("%s", started.body()).isEqualTo(202);
    String upgrade = coordinator + "/api/v1/upgrades/" + started.body().path("id").asText();
    await("the upgrade to end")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () ->
                !List.of("PENDING", "RUNNING")
                    .contains(
                        api.get(upgrade, Duration.ofSeconds(5)).body().path("state").asText()));
    JsonNode done = api.get(upgrade, Duration.ofSeconds(5)).body();

    assertThat(done.path("state").asText()).as("%s", done).isEqualTo("SUCCEEDED");
    assertThat(Files.readString(dotEnv))
        .as("FINALIZE: %s", done.path("steps").findValuesAsText("message"))
        .startsWith("# written by ComposeDeploymentIT from .env.example\nKESTRA_TAG=v1.0.0\n");
    List<Container> upgraded =
        containers().stream()
            .filter(c -> KESTRA.contains(c.getLabels().get("com.docker.compose.service")))
            .toList();
    assertThat(upgraded)
        .hasSize(5)
        .allSatisfy(
            c -> {
              assertThat(c.getImage()).isEqualTo("local/kestra-sim:v1.0.0");
              assertThat(c.getState()).isEqualTo("running");
            });
    await("nothing lost")
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .until(() -> stats().path("lost").asLong(-1) == 0);

    String up = compose("up", "-d");

    assertThat(up).as("docker-compose up -d: %s", up).doesNotContain("Recreating");
    assertThat(containers())
        .extracting(Container::getId)
        .containsAll(upgraded.stream().map(Container::getId).toList());
  }

  private JsonNode stats() throws Exception {
    return new Http().get("http://localhost:28080/api/v1/sim/stats", Duration.ofSeconds(2)).body();
  }

  private List<Container> containers() {
    return new ArrayList<>(
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of("com.docker.compose.project", name))
            .exec());
  }

  private String compose(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker-compose"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
    pb.environment().put("PWD", project.toString());
    Process p = pb.start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(cmd + " ran over 3 minutes");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    return out;
  }
}
