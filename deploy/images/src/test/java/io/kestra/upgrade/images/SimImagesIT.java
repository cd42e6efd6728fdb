package io.kestra.upgrade.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;

/** The stand-in's images on the real engine: shaped like Kestra's, configured like Kestra's. */
@ExtendWith(EngineRequired.class)
class SimImagesIT {

  private static DockerClient docker;
  private static List<String> images;

  @BeforeAll
  static void build() {
    docker = Engine.client();
    images =
        new SimImages(
                docker,
                Path.of("../kestra-sim/target/kestra-sim.jar"),
                Path.of("../kestra-sim/target/lib"))
            .ensure(List.of("0.21.4", "1.0.0"));
  }

  @AfterAll
  static void close() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  private static GenericContainer<?> oneShot(String image, String... command) {
    return new GenericContainer<>(image)
        .withNetworkMode("host")
        .withCommand(command)
        .withStartupCheckStrategy(
            new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(1)));
  }

  @Test
  void bothFlavoursOfEachVersionAreNamedLikeKestrasUnderALocalRepository() {
    assertThat(images)
        .containsExactly(
            "local/kestra-sim:v0.21.4",
            "local/kestra-sim:v0.21.4-no-plugins",
            "local/kestra-sim:v1.0.0",
            "local/kestra-sim:v1.0.0-no-plugins");
  }

  @Test
  void theKestraLauncherInAppAnswersItsVersion() {
    try (GenericContainer<?> c = oneShot("local/kestra-sim:v1.0.0-no-plugins", "--version")) {
      c.start();
      assertThat(c.getLogs().strip()).isEqualTo("1.0.0");
    }
  }

  @Test
  void aServerConfiguredByKestraConfigurationIsReadyOnItsManagementPort() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("sim_image");
    String configuration =
        "datasources:\n"
            + "  postgres:\n"
            + "    url: \""
            + db.jdbcUrl()
            + "\"\n"
            + "    username: \""
            + db.user()
            + "\"\n"
            + "    password: \""
            + db.password()
            + "\"\n";
    try (GenericContainer<?> migrate =
        oneShot("local/kestra-sim:v0.21.4", "sys", "database", "migrate")
            .withEnv("KESTRA_CONFIGURATION", configuration)) {
      migrate.start();
    }
    int api = freePort();
    int management = freePort();
    try (GenericContainer<?> server =
        new GenericContainer<>("local/kestra-sim:v0.21.4")
            .withNetworkMode("host")
            .withEnv("KESTRA_CONFIGURATION", configuration)
            .withEnv("JAVA_OPTS", "-Dendpoints.all.port=" + management)
            .withCommand("server", "executor", "--port", Integer.toString(api))) {
      server.start();
      HttpResponse<String> readiness =
          awaitReadiness(URI.create("http://localhost:" + management + "/health/readiness"));
      assertThat(readiness.statusCode()).isEqualTo(200);
      assertThat(readiness.body()).contains("\"UP\"");
    }
  }

  private static HttpResponse<String> awaitReadiness(URI uri) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        HttpResponse<String> r =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 || System.nanoTime() > deadline) {
          return r;
        }
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(200);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
