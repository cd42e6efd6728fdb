package io.kestra.upgrade.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.agent.core.AgentSettings;
import io.kestra.upgrade.agent.driver.process.ProcessDriverSettings;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The typed configuration as an operator writes it, and what the agent makes of it. */
class AgentConfigTest {

  private static final String KEY = "0123456789abcdef".repeat(4);

  private static AgentConfig config(Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>();
    properties.put("agent.cluster", "prod");
    properties.put("agent.kind", "worker");
    properties.put("agent.instance", "worker-2");
    properties.put("agent.state-dir", "/var/lib/kestra-agent");
    properties.put("agent.driver.process.install-dir", "/opt/kestra");
    properties.put("agent.insecure", "true");
    properties.putAll(extra);
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(AgentConfig.class)
            // as in the application: durations also in the short form (5s)
            .withConverter(Duration.class, 200, new DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .addDefaultInterceptors()
            .build();
    return config.getConfigMapping(AgentConfig.class);
  }

  @Test
  void defaultsFollowTheContract() {
    AgentConfig config = config(Map.of());
    AgentSettings settings = AgentAssembly.settings(config, "broker:9092");
    assertThat(settings.agentId().toString()).isEqualTo("prod/worker/worker-2");
    assertThat(settings.kafka().topics().commands()).isEqualTo("kestra.upgrade.commands");
    assertThat(settings.kafka().partitions()).isEqualTo(3);
    assertThat(settings.kafka().replicationFactor()).isEqualTo((short) 1);
    assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.progressInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(settings.signingKey()).isEmpty();
    assertThat(settings.capabilities()).isEmpty();

    ProcessDriverSettings driver = AgentAssembly.processSettings(config);
    assertThat(driver.kind()).isEqualTo(ComponentKind.WORKER);
    assertThat(driver.boot().autostart()).isFalse();
    assertThat(driver.probe().managementPort()).isEqualTo(8081);
    assertThat(driver.probe().interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(driver.limits().readinessTimeout())
        .as("room for a start-up migration, as the coordinator's migration deadline")
        .isEqualTo(Duration.ofHours(2));
    assertThat(driver.launch().apiPort()).isEmpty();
    assertThat(driver.limits().killMargin()).isEqualTo(Duration.ofSeconds(60));
    assertThat(driver.launch().logFile()).isEqualTo(Path.of("/var/lib/kestra-agent/server.log"));
    assertThat(driver.launch().serverArgs()).isEmpty();
    assertThat(driver.database()).isEmpty();
  }

  @Test
  void everySettingIsRead() {
    Map<String, String> p = new HashMap<>();
    p.put("agent.topic-prefix", "acme.upgrade");
    p.put("agent.capabilities", "BACKUP,MIGRATE");
    p.put("agent.signing-key", KEY);
    p.put("agent.insecure", "false");
    p.put("agent.heartbeat-interval", "5s");
    p.put("agent.driver.process.initial-version", "v0.21.4-no-plugins");
    p.put("agent.driver.process.autostart", "true");
    p.put("agent.driver.process.server-args", "-t,8");
    p.put("agent.driver.process.config-file", "/etc/kestra/application.yml");
    p.put("agent.driver.process.java-opts", "-Xmx2g -Dmicronaut.server.port=8080");
    p.put("agent.driver.process.management-port", "9081");
    p.put("agent.driver.process.api-port", "9080");
    p.put("agent.driver.process.kill-margin", "PT30S");
    p.put("agent.driver.process.database.url", "jdbc:postgresql://db:5432/kestra");
    p.put("agent.driver.process.database.username", "kestra");
    p.put("agent.driver.process.database.password", "secret");
    p.put("agent.driver.process.pg-bin-dir", "/usr/lib/postgresql/15/bin");
    AgentConfig config = config(p);

    AgentSettings settings = AgentAssembly.settings(config, "broker:9092");
    assertThat(settings.kafka().topics().acks()).isEqualTo("acme.upgrade.acks");
    assertThat(settings.capabilities())
        .containsExactlyInAnyOrder(Capability.BACKUP, Capability.MIGRATE);
    assertThat(settings.signingKey()).contains(KEY);
    assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));

    ProcessDriverSettings driver = AgentAssembly.processSettings(config);
    assertThat(driver.boot().initialVersion()).contains(KestraVersion.parse("0.21.4-no-plugins"));
    assertThat(driver.boot().autostart()).isTrue();
    assertThat(driver.launch().serverArgs()).isEqualTo(List.of("-t", "8"));
    assertThat(driver.launch().configFile()).contains(Path.of("/etc/kestra/application.yml"));
    assertThat(driver.launch().javaOpts()).isEqualTo("-Xmx2g -Dmicronaut.server.port=8080");
    assertThat(driver.probe().managementPort()).isEqualTo(9081);
    assertThat(driver.launch().apiPort()).hasValue(9080);
    assertThat(driver.limits().killMargin()).isEqualTo(Duration.ofSeconds(30));
    ProcessDriverSettings.Database db = driver.database().orElseThrow();
    assertThat(db.username()).isEqualTo("kestra");
    assertThat(db.password()).contains("secret");
    assertThat(db.backupDir()).isEqualTo(Path.of("/var/lib/kestra-agent/backups"));
    assertThat(db.pgBinDir()).contains(Path.of("/usr/lib/postgresql/15/bin"));
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> AgentAssembly.settings(config(Map.of("agent.kind", "workers")), "b:1"))
        .hasMessageContaining("unknown component kind 'workers'");
    assertThatThrownBy(
            () ->
                AgentAssembly.processSettings(
                    config(Map.of("agent.driver.process.initial-version", "latest"))))
        .hasMessageContaining("'latest' is not a Kestra version");
    assertThatThrownBy(
            () -> AgentAssembly.driver(config(Map.of("agent.driver.type", "podman")), null))
        .hasMessageContaining(
            "agent.driver.type=podman is not a known driver (known: process, docker)");
    assertThatThrownBy(
            () -> AgentAssembly.dockerSettings(config(Map.of("agent.driver.type", "docker"))))
        .hasMessageContaining(
            "agent.driver.docker: the container is found either by name or by its Compose project");
    assertThat(
            AgentAssembly.dockerSettings(
                    config(
                        Map.of(
                            "agent.driver.docker.compose-project", "kestra",
                            "agent.driver.docker.compose-service", "worker",
                            "agent.driver.docker.container-number", "2")))
                .container()
                .describe())
        .isEqualTo("Compose service kestra/worker #2");
    assertThatThrownBy(
            () ->
                AgentAssembly.processSettings(
                    config(
                        Map.of(
                            "agent.driver.process.database.url", "jdbc:postgresql://db/kestra"))))
        .hasMessageContaining("database.username is required");
    assertThat(AgentAssembly.settings(config(Map.of("agent.signing-key", " ")), "b:1").signingKey())
        .as("a blank key is no key; the bench is insecure")
        .isEqualTo(Optional.empty());
  }

  @Test
  void withoutAKeyTheAgentRefusesToStartUnlessToldItIsInsecure() {
    assertThatThrownBy(
            () -> AgentAssembly.settings(config(Map.of("agent.insecure", "false")), "b:1"))
        .hasMessageContaining("agent.signing-key is not set")
        .hasMessageContaining("kestra-upgrade agent-key prod/worker/worker-2")
        .hasMessageContaining("agent.insecure=true");
    assertThatThrownBy(
            () -> AgentAssembly.settings(config(Map.of("agent.signing-key", "abc123")), "b:1"))
        .hasMessageStartingWith("agent.signing-key: an agent key is 64 hex digits");
    assertThatThrownBy(
            () ->
                AgentAssembly.settings(config(Map.of("agent.signing-key", "zz".repeat(32))), "b:1"))
        .hasMessageContaining("only hex digits");
  }
}
