package io.kestra.upgrade.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.sandbox.stack.Database;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.stack.Platform;
import io.kestra.upgrade.sandbox.stack.Stack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line: what it refuses, and how precisely, before anything starts; and the two
 * commands that need no running part, {@code status} and {@code down}, on a sandbox folder of their
 * own.
 */
class SandboxCliTest {

  /** A refused command line must not even build a stack. */
  private static final SandboxCli.Stacks NO_STACK =
      (platform, fleet, version) -> {
        throw new AssertionError("a stack was built for a command line that should be refused");
      };

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final StringWriter err = new StringWriter();

  private int run(SandboxCli.Stacks stacks, String... args) {
    CommandLine cl =
        new SandboxCli(stacks, new PrintStream(out, true, StandardCharsets.UTF_8)).commandLine();
    cl.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theKubernetesPlatformIsRefusedAsNotSupportedYet() {
    for (String command :
        new String[] {"demo", "naive", "compare", "estimates", "up", "status", "down"}) {
      assertThat(run(NO_STACK, command, "--platform", "kubernetes")).as(command).isEqualTo(2);
      assertThat(err.toString())
          .contains("--platform kubernetes is not supported yet")
          .contains("--platform process|compose");
    }
  }

  @Test
  void eachCommandWorksOnTheStackOfItsPlatform() {
    List<Platform> asked = new ArrayList<>();
    SandboxCli.Stacks stacks =
        (platform, fleet, version) -> {
          asked.add(platform);
          throw new IllegalStateException("no stack in this test");
        };
    run(stacks, "status", "--platform", "compose");
    run(stacks, "status");
    assertThat(asked).containsExactly(Platform.COMPOSE, Platform.PROCESS);
  }

  @Test
  void unknownPlatformIsNamedWithTheOnesThatExist() {
    assertThat(run(NO_STACK, "demo", "--platform", "docker")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--platform")
        .contains("'docker' is not a platform: expected process, compose or kubernetes");
  }

  @Test
  void unknownFlagIsNamed() {
    assertThat(run(NO_STACK, "demo", "--graceful", "PT1S")).isEqualTo(2);
    assertThat(err.toString())
        .contains("Unknown options: '--graceful', 'PT1S'")
        .contains("Possible solutions: --grace");
  }

  @Test
  void targetThatIsNotAVersionIsRefusedWithTheGrammar() {
    assertThat(run(NO_STACK, "demo", "--target", "1.0")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--target")
        .contains("'1.0' is not a Kestra version: expected MAJOR.MINOR.PATCH");
  }

  @Test
  void durationsMustBeIsoAndPositive() {
    assertThat(run(NO_STACK, "demo", "--grace", "20s")).isEqualTo(2);
    assertThat(err.toString()).contains("--grace").contains("20s");
    assertThat(run(NO_STACK, "demo", "--kill-margin", "PT0S")).isEqualTo(2);
    assertThat(err.toString()).contains("--kill-margin must be a positive duration, not PT0S");
  }

  @Test
  void failAtNamesThePhasesItCanMakeFail() {
    assertThat(run(NO_STACK, "demo", "--fail-at", "BACKUP")).isEqualTo(2);
    assertThat(err.toString()).contains("--fail-at").contains("MIGRATE, START");
  }

  @Test
  void aRollingDemoCannotFailItsMigrationAndNamesTheStrategies() {
    assertThat(run(NO_STACK, "demo", "--strategy", "ROLLING", "--fail-at", "MIGRATE")).isEqualTo(2);
    assertThat(err.toString()).contains("--fail-at MIGRATE needs a migration");
    assertThat(run(NO_STACK, "demo", "--strategy", "BLUE_GREEN")).isEqualTo(2);
    assertThat(err.toString()).contains("FULL_STOP, ROLLING");
  }

  @Test
  void theRollingDemoRunsTheRollingFleetFromItsOwnVersion() {
    List<String> asked = new ArrayList<>();
    SandboxCli.Stacks stacks =
        (platform, fleet, version) -> {
          asked.add(fleet.servers().size() + " servers on " + version);
          throw new IllegalStateException("no stack in this test");
        };
    run(stacks, "demo", "--strategy", "ROLLING");
    run(stacks, "demo", "--strategy", "ROLLING", "--from", "0.22.0");
    run(stacks, "demo");
    assertThat(asked)
        .containsExactly("8 servers on 1.0.0", "8 servers on 0.22.0", "6 servers on 0.21.4");
  }

  @Test
  void optionWithoutItsValueIsNamed() {
    assertThat(run(NO_STACK, "demo", "--summary")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter for option '--summary'");
  }

  @Test
  void killNamesThePartsItKnowsWhenGivenAnotherOne(@TempDir Path repo) {
    Layout layout = new Layout(repo, repo.resolve("run"));
    Stack stack = new Stack(layout, Database.embedded(), FleetSpec.standard("cli-test"), "0.21.4");

    assertThat(run((platform, fleet, version) -> stack, "kill", "scheduler")).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "no part named 'scheduler': one of postgres, kafka, coordinator, agent-executor-1");
    assertThat(run((platform, fleet, version) -> stack, "kill", "coordinator")).isZero();
    assertThat(out()).contains("coordinator was not running");
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run(NO_STACK)).isEqualTo(2);
    assertThat(err.toString())
        .contains("Missing a command: demo, naive, compare, estimates, up, status, down or kill");
  }

  @Test
  void helpListsTheCommandsAndEachCommandsOptions() {
    assertThat(run(NO_STACK, "--help")).isZero();
    assertThat(out()).contains("demo", "up", "status", "down", "kill");
    out.reset();
    assertThat(run(NO_STACK, "demo", "--help")).isZero();
    assertThat(out())
        .contains("--summary=FILE", "--target=VERSION", "--grace=DURATION", "--kill-margin")
        .contains("--platform=PLATFORM", "process (default)", "compose (a Compose project");
  }

  @Test
  void statusListsEveryPartAndTheLogsFolder(@TempDir Path repo) {
    Layout layout = new Layout(repo, repo.resolve("run"));
    Stack stack = new Stack(layout, Database.embedded(), FleetSpec.standard("cli-test"), "0.21.4");

    assertThat(run((platform, fleet, version) -> stack, "status")).isZero();

    assertThat(out().lines())
        .anyMatch(
            l -> l.matches("postgres\\s+stopped\\s+-\\s+jdbc:postgresql://localhost:15432/kestra"))
        .anyMatch(l -> l.startsWith("credentials") && l.contains("missing"))
        .anyMatch(l -> l.matches("kafka\\s+stopped\\s+-\\s+bootstrap localhost:19092"))
        .anyMatch(l -> l.matches("coordinator\\s+stopped\\s+-\\s+http://localhost:8090"))
        .anyMatch(l -> l.startsWith("kestra install") && l.contains("absent"))
        .anyMatch(
            l ->
                l.matches(
                    "agent worker-1\\s+stopped\\s+-\\s+API http://localhost:18092,"
                        + " management http://localhost:18082"))
        .anyMatch(
            l ->
                l.matches(
                    "agent webserver-1\\s+stopped\\s+-\\s+API http://localhost:18080,"
                        + " management http://localhost:18085"))
        .contains("logs: " + layout.logs());
  }

  @Test
  void downKeepsTheLogsAndRemovesTheRest(@TempDir Path repo) throws Exception {
    Layout layout = new Layout(repo, repo.resolve("run"));
    Files.createDirectories(layout.logs());
    Files.writeString(layout.logs().resolve("kafka.log"), "a broker's last words");
    Files.createDirectories(layout.data("kafka"));
    Files.writeString(layout.data("kafka").resolve("meta.properties"), "node.id=1");
    Files.createDirectories(layout.kestraInstall());
    Stack stack = new Stack(layout, Database.embedded(), FleetSpec.standard("cli-test"), "0.21.4");

    assertThat(run((platform, fleet, version) -> stack, "down")).isZero();

    assertThat(layout.logs().resolve("kafka.log")).hasContent("a broker's last words");
    try (var left = Files.list(layout.home())) {
      assertThat(left).containsExactly(layout.logs());
    }
    assertThat(out()).contains("sandbox stopped; its logs stay in " + layout.logs());
  }
}
