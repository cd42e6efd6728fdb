package io.kestra.upgrade.agent;

import io.kestra.upgrade.agent.core.AgentCore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the agent's core for the life of the application: built and started at startup, closed at
 * shutdown (a running command is interrupted and settled at the next start; the Kestra server keeps
 * running).
 */
@ApplicationScoped
public class AgentLifecycle {

  private static final Logger LOG = Logger.getLogger(AgentLifecycle.class);

  private final AgentConfig config;
  private final String bootstrapServers;
  private final Map<String, String> kafkaProperties;
  private AgentCore core;

  /**
   * @param all the whole configuration, for its {@code kafka.*} client properties
   */
  public AgentLifecycle(
      AgentConfig config,
      @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
          String bootstrapServers,
      Config all) {
    this.config = config;
    this.bootstrapServers = bootstrapServers;
    this.kafkaProperties =
        AgentAssembly.kafkaProperties(
            all.getPropertyNames(), name -> all.getOptionalValue(name, String.class));
  }

  void onStart(@Observes StartupEvent event) {
    Clock clock = Clock.systemUTC();
    AgentCore agent =
        new AgentCore(
            AgentAssembly.settings(config, bootstrapServers, kafkaProperties),
            AgentAssembly.driver(config, clock),
            clock);
    agent.start();
    core = agent;
    LOG.infof("agent %s is up, Kafka at %s", agent.agentId(), bootstrapServers);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (core != null) {
      core.close();
      core = null;
    }
  }

  /** The running core, for tests of the wiring; {@code null} before start and after stop. */
  AgentCore core() {
    return core;
  }
}
