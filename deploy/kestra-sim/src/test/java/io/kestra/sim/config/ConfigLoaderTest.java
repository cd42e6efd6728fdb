package io.kestra.sim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  private static ConfigSources sources(
      List<Path> micronautFiles, Properties system, Path file, Map<String, String> commandLine) {
    return new ConfigSources(micronautFiles, system, Optional.ofNullable(file), commandLine);
  }

  @Test
  void theConfigFileOverridesSystemPropertiesAndTheCommandLineOverridesBoth() throws Exception {
    Path file = dir.resolve("application.yml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "datasources:",
            "  postgres:",
            "    url: jdbc:postgresql://db:5432/kestra",
            "    username: kestra",
            "    password: secret",
            "kestra:",
            "  server:",
            "    terminationGracePeriod: 2m",
            "    liveness:",
            "      timeout: PT10S",
            "  plugins:",
            "    - a",
            "    - b",
            "micronaut.server.port: 9090",
            ""));
    Properties system = new Properties();
    system.setProperty("kestra.server.liveness.timeout", "20s");
    system.setProperty("micronaut.server.port", "9191");

    system.setProperty("kestra.server.liveness.interval", "7s");

    SimConfig c =
        ConfigLoader.load(
            sources(List.of(), system, file, Map.of("micronaut.server.port", "9292")));

    assertThat(c.get("datasources.postgres.url")).contains("jdbc:postgresql://db:5432/kestra");
    assertThat(c.duration("kestra.server.terminationGracePeriod", Duration.ZERO))
        .isEqualTo(Duration.ofMinutes(2));
    // Kestra's -c file is the application context's own property source: above -D
    assertThat(c.duration("kestra.server.liveness.timeout", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(c.duration("kestra.server.liveness.interval", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(c.get("kestra.plugins[1]")).contains("b");
    assertThat(c.integer("micronaut.server.port", 0)).isEqualTo(9292);
  }

  @Test
  void namesAreRelaxedAsMicronautDoes() {
    SimConfig c =
        SimConfig.of(
            Map.of(
                "kestra.server.termination-grace-period", "1m",
                "kestra.sim.task.minDuration", "10ms"));

    assertThat(c.duration("kestra.server.terminationGracePeriod", Duration.ZERO))
        .isEqualTo(Duration.ofMinutes(1));
    assertThat(c.duration("kestra.sim.task.min-duration", Duration.ZERO))
        .isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void settingsHaveKestraDefaults() {
    Settings s =
        Settings.from(SimConfig.of(Map.of("datasources.postgres.url", "jdbc:postgresql:x")), null);

    assertThat(s.datasource().migrateAtStart()).isTrue();
    assertThat(s.server().terminationGracePeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.server().workerTaskRestartStrategy())
        .isEqualTo(WorkerTaskRestartStrategy.AFTER_TERMINATION_GRACE_PERIOD);
    assertThat(s.server().liveness())
        .isEqualTo(
            new LivenessSettings(
                true,
                Duration.ofSeconds(45),
                Duration.ofSeconds(5),
                Duration.ofSeconds(3),
                Duration.ofSeconds(45)));
    assertThat(s.ports()).isEqualTo(new PortSettings(8080, 8081));
    assertThat(s.simulation().schedulerRate()).isEqualTo(2.0);
    assertThat(s.simulation().taskMinDuration()).isEqualTo(Duration.ofMillis(200));
    assertThat(s.simulation().taskMaxDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.simulation().startupDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.simulation().faultsFile()).isEmpty();
  }

  @Test
  void faultFileComesFromConfigFirstThenEnvironment() {
    SimConfig withKey =
        SimConfig.of(
            Map.of("datasources.postgres.url", "u", "kestra.sim.faults", "/tmp/from-config"));
    SimConfig without = SimConfig.of(Map.of("datasources.postgres.url", "u"));

    assertThat(Settings.from(withKey, "/tmp/from-env").simulation().faultsFile())
        .isEqualTo(Optional.of(Path.of("/tmp/from-config")));
    assertThat(Settings.from(without, "/tmp/from-env").simulation().faultsFile())
        .isEqualTo(Optional.of(Path.of("/tmp/from-env")));
  }

  @Test
  void invalidValuesNameTheirProperty() {
    SimConfig c =
        SimConfig.of(
            Map.of(
                "datasources.postgres.url", "u",
                "kestra.server.terminationGracePeriod", "soon",
                "kestra.server.workerTaskRestartStrategy", "sometimes"));

    assertThatThrownBy(() -> Settings.from(c, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kestra.server.terminationGracePeriod")
        .hasMessageContaining("'soon'");
    assertThatThrownBy(
            () ->
                c.enumeration(
                    "kestra.server.workerTaskRestartStrategy",
                    WorkerTaskRestartStrategy.class,
                    WorkerTaskRestartStrategy.NEVER))
        .hasMessageContaining("'sometimes'");
    assertThatThrownBy(() -> Settings.from(SimConfig.of(Map.of()), null))
        .hasMessage("Missing configuration property 'datasources.postgres.url'");
    assertThatThrownBy(
            () ->
                SimConfig.of(Map.of("flyway.datasources.postgres.enabled", "yes"))
                    .bool("flyway.datasources.postgres.enabled", true))
        .hasMessageContaining("expected true or false");
  }

  @Test
  void kestraConfigurationFilesRankBelowSystemPropertiesAndTheConfigFile() throws Exception {
    Path fromEnvironment = dir.resolve("confs-application.yml");
    Files.writeString(
        fromEnvironment,
        String.join(
            "\n",
            "kestra.server.terminationGracePeriod: 40s",
            "kestra.server.liveness.timeout: 41s",
            "kestra.server.liveness.interval: 42s",
            "endpoints.all.port: 9999",
            ""));
    Path file = dir.resolve("application.yml");
    Files.writeString(file, "kestra.server.liveness.timeout: 51s\n");
    Properties system = new Properties();
    system.setProperty("kestra.server.liveness.interval", "61s");

    SimConfig c = ConfigLoader.load(sources(List.of(fromEnvironment), system, file, Map.of()));

    assertThat(c.duration("kestra.server.terminationGracePeriod", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(40));
    assertThat(c.duration("kestra.server.liveness.timeout", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(51));
    assertThat(c.duration("kestra.server.liveness.interval", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(61));
    assertThat(c.integer("endpoints.all.port", 0)).isEqualTo(9999);
  }

  @Test
  void micronautConfigFilesAreAListSeparatedByCommas() {
    assertThat(ConfigSources.micronautConfigFiles(null)).isEmpty();
    assertThat(ConfigSources.micronautConfigFiles(" ")).isEmpty();
    assertThat(ConfigSources.micronautConfigFiles("/a.yml, /b.yml"))
        .containsExactly(Path.of("/a.yml"), Path.of("/b.yml"));
  }

  @Test
  void aMissingMicronautConfigFileIsAnError() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    sources(List.of(dir.resolve("nope.yml")), new Properties(), null, Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yml does not exist");
  }

  @Test
  void portsAreDistinctAndMinusOneMeansAnyFreePort() {
    SimConfig random =
        SimConfig.of(
            Map.of(
                "datasources.postgres.url", "u",
                "micronaut.server.port", "-1",
                "endpoints.all.port", "-1"));
    assertThat(Settings.from(random, null).ports()).isEqualTo(new PortSettings(0, 0));
    SimConfig same =
        SimConfig.of(
            Map.of(
                "datasources.postgres.url", "u",
                "micronaut.server.port", "8085",
                "endpoints.all.port", "8085"));
    assertThatThrownBy(() -> Settings.from(same, null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("both 8085");
  }
}
