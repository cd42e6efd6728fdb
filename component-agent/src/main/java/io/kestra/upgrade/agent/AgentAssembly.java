package io.kestra.upgrade.agent;

import io.kestra.upgrade.agent.core.AgentSettings;
import io.kestra.upgrade.agent.core.KafkaSettings;
import io.kestra.upgrade.agent.driver.ComponentDriver;
import io.kestra.upgrade.agent.driver.MaintenanceApi;
import io.kestra.upgrade.agent.driver.docker.DockerDriver;
import io.kestra.upgrade.agent.driver.docker.DockerDriverSettings;
import io.kestra.upgrade.agent.driver.docker.Engines;
import io.kestra.upgrade.agent.driver.process.ProcessDriver;
import io.kestra.upgrade.agent.driver.process.ProcessDriverSettings;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.AgentKeys;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the typed configuration into the core's settings and the configured driver. */
final class AgentAssembly {

  private static final Logger LOG = LoggerFactory.getLogger(AgentAssembly.class);

  private AgentAssembly() {}

  /** The configuration prefix of Kafka's client properties, as Quarkus names them. */
  static final String KAFKA_PREFIX = "kafka";

  /** The core's settings with no Kafka client property besides the bootstrap servers. */
  static AgentSettings settings(AgentConfig config, String bootstrapServers) {
    return settings(config, bootstrapServers, Map.of());
  }

  /**
   * The core's settings; fails with a message naming the property at fault.
   *
   * @param kafkaProperties Kafka's client properties, without their {@code kafka.} prefix (see
   *     {@link #kafkaProperties})
   */
  static AgentSettings settings(
      AgentConfig config, String bootstrapServers, Map<String, String> kafkaProperties) {
    AgentId agentId =
        new AgentId(config.cluster(), ComponentKind.fromWire(config.kind()), config.instance());
    return new AgentSettings(
        agentId,
        config.version(),
        new KafkaSettings(
            bootstrapServers,
            new Topics(config.topicPrefix()),
            config.topics().partitions(),
            config.topics().replicationFactor(),
            kafkaProperties),
        config.heartbeatInterval(),
        config.progressInterval(),
        config.stateDir(),
        signingKey(config, agentId),
        config.capabilities().orElse(Set.of()));
  }

  /**
   * The agent's key, checked; empty only when the agent is explicitly insecure.
   *
   * @throws IllegalArgumentException without a key and without {@code agent.insecure=true}, or for
   *     a key that is not one
   */
  static Optional<String> signingKey(AgentConfig config, AgentId agentId) {
    Optional<String> key = config.signingKey().map(String::trim).filter(k -> !k.isEmpty());
    if (key.isEmpty()) {
      if (!config.insecure()) {
        throw new IllegalArgumentException(
            "agent.signing-key is not set: this agent has no key to check its commands and sign"
                + " its acks. Give it its own key (AGENT_SIGNING_KEY), printed on the"
                + " coordinator's side by `kestra-upgrade agent-key "
                + agentId
                + "`, or set agent.insecure=true for a test bench");
      }
      LOG.warn(
          "agent {} runs INSECURE (agent.insecure=true, no agent.signing-key): it obeys unsigned"
              + " commands and signs nothing",
          agentId);
      return Optional.empty();
    }
    try {
      AgentKeys.parse(key.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("agent.signing-key: " + e.getMessage(), e);
    }
    return key;
  }

  /**
   * Every {@code kafka.*} property of the configuration, the prefix removed, the way Quarkus' Kafka
   * extension reads them: {@code kafka.sasl.jaas.config} from a file or system property, or {@code
   * KAFKA_SASL_JAAS_CONFIG} from the environment (lower-cased, {@code _} read as {@code .}; Kafka's
   * own property names have no {@code _}). Each value is looked up under its dotted name, so the
   * configuration's usual precedence decides between sources.
   *
   * @param names the configuration's property names
   * @param lookup a property's value by its name
   */
  static Map<String, String> kafkaProperties(
      Iterable<String> names, Function<String, Optional<String>> lookup) {
    Map<String, String> properties = new TreeMap<>();
    for (String name : names) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.length() <= KAFKA_PREFIX.length() + 1
          || !lower.startsWith(KAFKA_PREFIX)
          || (lower.charAt(KAFKA_PREFIX.length()) != '.'
              && lower.charAt(KAFKA_PREFIX.length()) != '_')) {
        continue;
      }
      String property =
          name.equals(lower) && lower.charAt(KAFKA_PREFIX.length()) == '.'
              ? name.substring(KAFKA_PREFIX.length() + 1)
              : lower.substring(KAFKA_PREFIX.length() + 1).replace('_', '.');
      lookup
          .apply(KAFKA_PREFIX + "." + property)
          .or(() -> lookup.apply(name))
          .filter(value -> !value.isBlank())
          .ifPresent(value -> properties.put(property, value));
    }
    return properties;
  }

  /**
   * The driver named by {@code agent.driver.type}.
   *
   * @throws IllegalArgumentException for an unknown driver or a missing required property
   */
  static ComponentDriver driver(AgentConfig config, Clock clock) {
    String type = config.driver().type();
    Optional<MaintenanceApi> maintenance = maintenanceApi(config.driver().maintenance(), clock);
    if (DockerDriver.NAME.equals(type)) {
      return new DockerDriver(dockerSettings(config), Engines.client(), clock, maintenance);
    }
    if (!ProcessDriver.NAME.equals(type)) {
      throw new IllegalArgumentException(
          "agent.driver.type=" + type + " is not a known driver (known: process, docker)");
    }
    return new ProcessDriver(processSettings(config), clock, maintenance);
  }

  /** Kestra Enterprise's maintenance API, when {@code agent.driver.maintenance.url} is set. */
  static Optional<MaintenanceApi> maintenanceApi(AgentConfig.MaintenanceConfig m, Clock clock) {
    return m.url()
        .map(
            url ->
                new MaintenanceApi(
                    url, m.username().filter(u -> !u.isBlank()), m.password(), m.timeout(), clock));
  }

  static DockerDriverSettings dockerSettings(AgentConfig config) {
    AgentConfig.DockerConfig docker = config.driver().docker();
    return new DockerDriverSettings(
        ComponentKind.fromWire(config.kind()),
        config.stateDir(),
        selector(docker),
        docker.tagPattern(),
        new DockerDriverSettings.Compose(
            docker.composeFile(), List.of(docker.composeCommand().strip().split("\\s+"))),
        new DockerDriverSettings.Management(
            docker.managementPort(), docker.managementHost(), docker.probeInterval()),
        new DockerDriverSettings.Limits(
            docker.readinessTimeout(),
            docker.killMargin(),
            docker.toolTimeout(),
            docker.pullTimeout()),
        database(
            docker.database(),
            "agent.driver.docker",
            docker.backupDir().orElse(config.stateDir().resolve("backups")),
            docker.pgBinDir(),
            docker.backupRetention()));
  }

  private static DockerDriverSettings.Selector selector(AgentConfig.DockerConfig docker) {
    try {
      return new DockerDriverSettings.Selector(
          docker.containerName().filter(n -> !n.isBlank()),
          docker.composeProject().filter(p -> !p.isBlank()),
          docker.composeService().filter(s -> !s.isBlank()),
          docker.containerNumber());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "agent.driver.docker: "
              + e.getMessage()
              + " (container-name, or compose-project and compose-service)",
          e);
    }
  }

  private static Optional<ProcessDriverSettings.Database> database(
      AgentConfig.DatabaseConfig db,
      String prefix,
      Path backupDir,
      Optional<Path> pgBinDir,
      int retention) {
    return db.url()
        .filter(url -> !url.isBlank())
        .map(
            url ->
                new ProcessDriverSettings.Database(
                    url,
                    db.username()
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    prefix + ".database.username is required with a database url")),
                    db.password(),
                    backupDir,
                    pgBinDir,
                    retention));
  }

  static ProcessDriverSettings processSettings(AgentConfig config) {
    AgentConfig.ProcessConfig process = config.driver().process();
    Path stateDir = config.stateDir();
    Path installDir =
        process
            .installDir()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "agent.driver.process.install-dir is required by the process driver"));
    Optional<KestraVersion> initialVersion =
        process.initialVersion().filter(v -> !v.isBlank()).map(KestraVersion::parse);
    Optional<ProcessDriverSettings.Database> database =
        database(
            process.database(),
            "agent.driver.process",
            process.backupDir().orElse(stateDir.resolve("backups")),
            process.pgBinDir(),
            process.backupRetention());
    return new ProcessDriverSettings(
        installDir,
        ComponentKind.fromWire(config.kind()),
        stateDir,
        new ProcessDriverSettings.Boot(initialVersion, process.autostart()),
        new ProcessDriverSettings.Launch(
            process.serverArgs().orElse(List.of()),
            process.apiPort(),
            process.configFile(),
            process.javaOpts().orElse(""),
            process.logFile().orElse(stateDir.resolve("server.log"))),
        new ProcessDriverSettings.Probe(process.managementPort(), process.probeInterval()),
        new ProcessDriverSettings.Limits(
            process.readinessTimeout(), process.killMargin(), process.toolTimeout()),
        database);
  }
}
