package io.kestra.upgrade.sandbox.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import io.kestra.upgrade.images.Engine;
import io.kestra.upgrade.images.EngineRequired;
import io.kestra.upgrade.images.ProductImages;
import io.kestra.upgrade.sandbox.stack.Credentials;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.testsupport.TestKafka;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's and the agent's images, built here, run as an operator runs them: the
 * coordinator configured by environment only, healthy; an agent beside it with the docker driver,
 * the engine's socket mounted and its group added, heartbeating (signed) to the coordinator and
 * saying through the engine that its container does not exist.
 */
@ExtendWith(EngineRequired.class)
class ProductImagesIT {

  @TempDir Path dir;
  private final List<String> containers = new ArrayList<>();
  private final DockerClient docker = Engine.client();

  @AfterEach
  void remove() throws Exception {
    for (String id : containers) {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
    docker.close();
  }

  @Test
  void theCoordinatorAndAnAgentRunFromTheirImages() throws Exception {
    new ProductImages(docker).ensure(Layout.detect().repo());
    Credentials credentials = new Credentials(dir.resolve("home"));
    credentials.start(new PrintStream(new ByteArrayOutputStream()));
    // the container's user (185) reads the public key: a copy readable by all
    Path publicKey = dir.resolve("jwt-public.pem");
    Files.copy(credentials.publicKey(), publicKey);
    Files.setPosixFilePermissions(publicKey, PosixFilePermissions.fromString("rw-r--r--"));
    TestPostgres.Database db = TestPostgres.newDatabase("images_coordinator");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String topicPrefix = "images" + System.nanoTime();
    containers.add(
        run(
            ProductImages.COORDINATOR,
            new HostConfig()
                .withNetworkMode("host")
                .withBinds(Bind.parse(publicKey + ":/etc/kestra-upgrade/jwt-public.pem:ro")),
            "QUARKUS_DATASOURCE_JDBC_URL=" + db.jdbcUrl(),
            "QUARKUS_DATASOURCE_USERNAME=" + db.user(),
            "QUARKUS_DATASOURCE_PASSWORD=" + db.password(),
            "KAFKA_BOOTSTRAP_SERVERS=" + TestKafka.bootstrapServers(),
            "QUARKUS_HTTP_PORT=" + port,
            "COORDINATOR_KAFKA_TOPIC_PREFIX=" + topicPrefix,
            "MP_JWT_VERIFY_PUBLICKEY_LOCATION=/etc/kestra-upgrade/jwt-public.pem",
            "COORDINATOR_SECURITY_MASTER_KEY=" + credentials.masterKey()));
    Http http = new Http(credentials::operator);
    String url = "http://localhost:" + port;
    await("the coordinator's container healthy")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(() -> http.isOk(url + "/q/health/ready"));

    Path socket = Path.of("/var/run/docker.sock");
    String socketGroup = Files.getAttribute(socket, "unix:gid").toString();
    containers.add(
        run(
            ProductImages.AGENT,
            new HostConfig()
                .withNetworkMode("host")
                .withBinds(Bind.parse(socket + ":" + socket))
                .withGroupAdd(List.of(socketGroup)),
            "KAFKA_BOOTSTRAP_SERVERS=" + TestKafka.bootstrapServers(),
            "AGENT_CLUSTER=images",
            "AGENT_KIND=worker",
            "AGENT_INSTANCE=worker-1",
            "AGENT_TOPIC_PREFIX=" + topicPrefix,
            "AGENT_DRIVER_TYPE=docker",
            "AGENT_DRIVER_DOCKER_CONTAINER_NAME=no-such-kestra-worker",
            "AGENT_SIGNING_KEY=" + credentials.agentKey("images/worker/worker-1")));

    await("the agent's heartbeat, through the coordinator")
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode agents =
                  http.get(url + "/api/v1/agents?cluster=images", Duration.ofSeconds(5)).body();
              return StreamSupport.stream(agents.spliterator(), false)
                  .anyMatch(
                      a ->
                          a.path("agentId").asText().equals("images/worker/worker-1")
                              && a.path("driver").asText().equals("docker")
                              && a.path("component")
                                  .path("problem")
                                  .asText()
                                  .equals(
                                      "container no-such-kestra-worker does not exist on this engine"));
            });
  }

  private String run(String image, HostConfig host, String... env) {
    String id =
        docker
            .createContainerCmd(image)
            .withName("kestra-upgrade-images-it-" + System.nanoTime())
            .withHostConfig(host)
            .withEnv(env)
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
    return id;
  }
}
