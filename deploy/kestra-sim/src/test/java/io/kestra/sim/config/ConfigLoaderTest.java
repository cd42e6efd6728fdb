package io.kestra.sim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void flattensYamlAndLetsSystemPropertiesThenCommandLineOverride() throws Exception {
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

    SimConfig c = ConfigLoader.load(file, system, Map.of("micronaut.server.port", "9292"));

    assertThat(c.get("datasources.postgres.url")).contains("jdbc:postgresql://db:5432/kestra");
    assertThat(c.duration("kestra.server.terminationGracePeriod", Duration.ZERO))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(c.duration("kestra.server.liveness.timeout", Duration.ZERO))
        .isEqualTo(Duration.ofSeconds(20));
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
                Duration.ofSeconds(45),
                Duration.ofSeconds(5),
                Duration.ofSeconds(3),
                Duration.ZERO));
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
  void missingConfigFileIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yml"), new Properties(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yml does not exist");
  }
}
