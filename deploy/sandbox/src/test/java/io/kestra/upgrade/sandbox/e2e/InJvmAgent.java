package io.kestra.upgrade.sandbox.e2e;

import io.kestra.upgrade.agent.core.AgentCore;
import io.kestra.upgrade.agent.core.AgentSettings;
import io.kestra.upgrade.agent.core.KafkaSettings;
import io.kestra.upgrade.agent.driver.process.ProcessDriver;
import io.kestra.upgrade.agent.driver.process.ProcessDriverSettings;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An agent core in the test JVM, with the real process driver: what {@code component-agent}'s
 * Quarkus shell would assemble from its configuration, built here by hand.
 */
final class InJvmAgent {

  private InJvmAgent() {}

  static AgentCore start(AgentFleet fleet, FleetSpec.Server s) {
    AgentId id = new AgentId(fleet.cluster, ComponentKind.fromWire(s.kind()), s.instance());
    Path state = fleet.stateDir(s.instance());
    Set<Capability> capabilities =
        s.capabilities().isEmpty()
            ? Set.of()
            : Arrays.stream(s.capabilities().split(","))
                .map(Capability::valueOf)
                .collect(Collectors.toSet());
    Optional<ProcessDriverSettings.Database> database =
        capabilities.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new ProcessDriverSettings.Database(
                    fleet.kestraDb.jdbcUrl(),
                    fleet.kestraDb.user(),
                    Optional.of(fleet.kestraDb.password()),
                    fleet.dir.resolve("backups"),
                    Optional.ofNullable(fleet.pgBinDir())));
    ProcessDriverSettings settings =
        new ProcessDriverSettings(
            fleet.dir.resolve("kestra"),
            id.kind(),
            state,
            new ProcessDriverSettings.Boot(
                Optional.of(KestraVersion.parse(AgentFleet.INITIAL_VERSION)), true),
            new ProcessDriverSettings.Launch(
                s.serverArgs(),
                Optional.of(fleet.config(s)),
                fleet.serverJavaOpts(s.instance()),
                fleet.serverLog(s.instance())),
            new ProcessDriverSettings.Probe(s.managementPort(), Duration.ofMillis(500)),
            new ProcessDriverSettings.Limits(
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(5)),
            database);
    AgentSettings agent =
        new AgentSettings(
            id,
            "e2e",
            new KafkaSettings(
                fleet.kafka.bootstrap(), fleet.topics, 3, (short) 1, fleet.kafka.client()),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            state,
            Optional.of(fleet.agentKey(s.instance())),
            capabilities);
    AgentCore core =
        new AgentCore(agent, new ProcessDriver(settings, Clock.systemUTC()), Clock.systemUTC());
    core.start();
    return core;
  }
}
