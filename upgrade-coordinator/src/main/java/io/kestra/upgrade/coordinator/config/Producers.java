package io.kestra.upgrade.coordinator.config;

import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.release.ReleaseCatalogFiles;
import io.kestra.upgrade.coordinator.security.AgentKeyring;
import io.kestra.upgrade.coordinator.upgrade.engine.ProgressThrottle;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeMachine;
import io.kestra.upgrade.coordinator.upgrade.plan.Planner;
import io.kestra.upgrade.coordinator.upgrade.plan.StepTimeouts;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The plain-Java collaborators, built once from the typed configuration. */
public class Producers {

  private static final Logger LOG = Logger.getLogger(Producers.class);

  /**
   * The {@code kafka-configuration} of the incoming channels, see {@code application.properties}.
   */
  public static final String CONSUMERS_KAFKA_CONFIGURATION = "coordinator-consumers";

  @Produces
  @Singleton
  JsonCodec codec() {
    return JsonCodec.create();
  }

  @Produces
  @Singleton
  Topics topics(CoordinatorConfig config) {
    return new Topics(config.kafka().topicPrefix());
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * The agents' keys.
   *
   * @throws IllegalStateException (and the coordinator does not start) without a master key, unless
   *     it is explicitly insecure
   */
  @Produces
  @Singleton
  AgentKeyring keyring(CoordinatorConfig config) {
    CoordinatorConfig.Security security = config.security();
    Optional<String> master = security.masterKey().filter(k -> !k.isBlank());
    if (master.isPresent()) {
      try {
        return AgentKeyring.of(master.get());
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("coordinator.security.master-key: " + e.getMessage(), e);
      }
    }
    if (security.insecure()) {
      LOG.warn(
          "coordinator.security.insecure=true: commands go unsigned and the agents' messages are"
              + " not checked; never run so outside a sandbox");
      return AgentKeyring.insecure();
    }
    throw new IllegalStateException(
        "no master key: set coordinator.security.master-key (env COORDINATOR_SECURITY_MASTER_KEY, at"
            + " least 32 bytes, e.g. `openssl rand -hex 32`), from which every agent's key is"
            + " derived; or, for a throw-away sandbox only, coordinator.security.insecure=true");
  }

  @Produces
  @Singleton
  InstanceId instanceId(
      CoordinatorConfig config, @ConfigProperty(name = "quarkus.http.port") int httpPort) {
    return InstanceId.of(config.instanceId(), httpPort);
  }

  /**
   * What the incoming channels' Kafka consumers get beside their {@code mp.messaging.*} attributes
   * (named by their {@code kafka-configuration}): static group membership under this instance's
   * name, so that an instance restarted gets its partitions back at once instead of after the
   * session time-out of its former self, and no rebalance moves them meanwhile.
   */
  @Produces
  @Singleton
  @Identifier(CONSUMERS_KAFKA_CONFIGURATION)
  Map<String, Object> consumersKafkaConfiguration(InstanceId instance) {
    return Map.of("group.instance.id", instance.value());
  }

  @Produces
  @Singleton
  Planner planner(CoordinatorConfig config) {
    CoordinatorConfig.Timeouts t = config.timeouts();
    return new Planner(
        new StepTimeouts(t.ping(), t.prepare(), t.start(), t.migrate(), t.backup(), t.stopSlack()),
        config.defaults().gracePeriod(),
        ReleaseCatalogFiles.load(config.releaseCatalog()));
  }

  @Produces
  @Singleton
  UpgradeMachine machine(CoordinatorConfig config) {
    ProgressThrottle progressEvents;
    try {
      progressEvents = new ProgressThrottle(config.progressEventInterval());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("coordinator.progress-event-interval: " + e.getMessage(), e);
    }
    return new UpgradeMachine(() -> UUID.randomUUID().toString(), progressEvents);
  }
}
