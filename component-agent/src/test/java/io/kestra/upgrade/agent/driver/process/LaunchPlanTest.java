package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the process driver hands a server: arguments, JAVA_OPTS, and the grace it will apply. */
class LaunchPlanTest {

  private static final KestraVersion V = KestraVersion.parse("0.22.1");

  @TempDir Path dir;

  private ProcessDriverSettings settings(Optional<Path> config, OptionalInt apiPort) {
    return new ProcessDriverSettings(
        dir,
        ComponentKind.WORKER,
        dir.resolve("state"),
        new ProcessDriverSettings.Boot(Optional.empty(), false),
        new ProcessDriverSettings.Launch(
            List.of("-t", "2"), apiPort, config, "-Xmx1g", dir.resolve("server.log")),
        new ProcessDriverSettings.Probe(9081, Duration.ofSeconds(1)),
        new ProcessDriverSettings.Limits(
            Duration.ofHours(2), Duration.ofSeconds(60), Duration.ofHours(1)),
        Optional.empty());
  }

  private LaunchPlan plan(Optional<Path> config, Optional<Duration> requested)
      throws DriverException {
    return LaunchPlan.of(settings(config, OptionalInt.of(9080)), new Launchers(dir), V, requested);
  }

  @Test
  void theServerGetsItsApiPortAndTheManagementPortTheAgentProbes() throws Exception {
    LaunchPlan plan = plan(Optional.empty(), Optional.empty());

    assertThat(plan.command())
        .containsExactly(
            dir.resolve("kestra-0.22.1").toString(),
            "server",
            "worker",
            "--port",
            "9080",
            "-t",
            "2");
    assertThat(plan.javaOpts()).isEqualTo("-Xmx1g -Dendpoints.all.port=9081");
    assertThat(plan.gracePeriod()).contains(Duration.ofMinutes(5));
  }

  @Test
  void aStartsGracePeriodReachesTheServerInKestrasSpellingAndApplies() throws Exception {
    LaunchPlan plan = plan(Optional.empty(), Optional.of(Duration.ofMillis(1500)));

    assertThat(plan.javaOpts())
        .isEqualTo(
            "-Xmx1g -Dendpoints.all.port=9081 -Dkestra.server.terminationGracePeriod=1500ms");
    assertThat(plan.gracePeriod()).contains(Duration.ofMillis(1500));
  }

  @Test
  void aGracePeriodInTheConfigFileWinsOverTheStartsAsInKestra() throws Exception {
    Path config =
        Files.writeString(
            dir.resolve("application.yml"),
            "kestra:\n  server:\n    terminationGracePeriod: 45s\n");

    LaunchPlan plan = plan(Optional.of(config), Optional.of(Duration.ofMinutes(5)));

    assertThat(plan.command()).endsWith("-c", config.toString());
    assertThat(plan.gracePeriod()).contains(Duration.ofSeconds(45));
  }

  @Test
  void aConfigFilePinningAnotherManagementPortIsRefusedBeforeLaunching() throws Exception {
    Path config =
        Files.writeString(dir.resolve("application.yml"), "endpoints:\n  all:\n    port: 8085\n");

    assertThatThrownBy(() -> plan(Optional.of(config), Optional.empty()))
        .isInstanceOf(DriverException.class)
        .hasMessageContaining("endpoints.all.port=8085")
        .hasMessageContaining("probes 9081")
        .satisfies(
            e -> assertThat(((DriverException) e).reason()).isEqualTo(FailureReason.START_FAILED));
  }

  @Test
  void aConfigFileSettingTheProbedManagementPortIsFine() throws Exception {
    Path config = Files.writeString(dir.resolve("application.yml"), "endpoints.all.port: 9081\n");
    assertThat(plan(Optional.of(config), Optional.empty()).javaOpts())
        .contains("-Dendpoints.all.port=9081");
  }

  @Test
  void anUnreadableConfigFileFailsTheStart() throws Exception {
    Path config = Files.writeString(dir.resolve("application.yml"), "a: [unclosed\n");
    assertThatThrownBy(() -> plan(Optional.of(config), Optional.empty()))
        .isInstanceOf(DriverException.class)
        .hasMessageContaining("cannot read the server's configuration file");
  }
}
