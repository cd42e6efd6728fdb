package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.images.Engine;
import io.kestra.upgrade.images.EngineRequired;
import io.kestra.upgrade.sandbox.demo.Demo;
import io.kestra.upgrade.sandbox.demo.Summary;
import io.kestra.upgrade.sandbox.stack.ComposeFleetPart;
import io.kestra.upgrade.sandbox.stack.Database;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Ports;
import io.kestra.upgrade.sandbox.stack.Stack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Compose fleet (executor, two workers, scheduler, webserver, indexer as the services of one
 * project, each driven by its agent's docker driver) upgraded 0.21.4 → 1.0.0 by the coordinator
 * with executions in flight, on the real engine: the sandbox's compose stack and its demo. Then the
 * operator's own {@code docker-compose up -d} on the updated file recreates nothing.
 */
@ExtendWith(EngineRequired.class)
class ComposeUpgradeIT {

  @Test
  void aComposeFleetIsUpgradedWithNothingLostAndComposeThenRecreatesNothing() throws Exception {
    assertThat(Ports.isOpen(Ports.COORDINATOR) || Ports.isOpen(Ports.KAFKA))
        .as("the sandbox's ports are taken: stop your sandbox (`deploy/sandbox/sandbox down`)")
        .isFalse();
    Layout detected = Layout.detect();
    Layout layout =
        new Layout(
            detected.repo(),
            detected
                .repo()
                .resolve("deploy/sandbox/target/e2e/compose-" + Instant.now().toEpochMilli()));
    Stack stack =
        new Stack(
            layout, Database.embedded(), FleetSpec.standard("sandbox"), "0.21.4", Platform.COMPOSE);
    ComposeFleetPart compose = stack.compose().orElseThrow();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    try (DockerClient docker = Engine.client()) {
      stack.up(out);
      assertThat(containers(docker)).hasSize(6);

      Summary summary =
          new Demo(stack, out)
              .run(
                  new Demo.Options(
                      KestraVersion.parse("1.0.0"), null, Duration.ofSeconds(10), null));

      assertThat(summary.state()).as("%s", output).isEqualTo("SUCCEEDED");
      assertThat(summary.platform()).isEqualTo("compose");
      assertThat(summary.tasks().lost()).isZero();
      assertThat(summary.tasks().created()).isPositive();
      assertThat(summary.phases()).containsKey("FINALIZE");
      List<Container> upgraded = containers(docker);
      assertThat(upgraded)
          .as("one container per service, the kept old ones removed")
          .hasSize(6)
          .allSatisfy(
              c -> {
                assertThat(c.getImage()).isEqualTo("local/kestra-sim:v1.0.0");
                assertThat(c.getState()).isEqualTo("running");
              });
      String file = Files.readString(compose.file());
      assertThat(file).doesNotContain("v0.21.4").contains("image: local/kestra-sim:v1.0.0");
      assertThat(file).as("its comments kept").startsWith("# The sandbox's stand-in Kestra fleet");

      String up = run(compose.compose("up", "-d"));

      assertThat(up).as("docker-compose up -d: %s", up).doesNotContain("Recreating");
      assertThat(containers(docker))
          .extracting(Container::getId)
          .containsExactlyInAnyOrderElementsOf(upgraded.stream().map(Container::getId).toList());
    } finally {
      stack.down(out);
    }
  }

  private static List<Container> containers(DockerClient docker) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of("com.docker.compose.project", ComposeFleetPart.PROJECT))
        .exec();
  }

  private static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " ran over 2 minutes");
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s: %s", command, text).isZero();
    return text;
  }
}
