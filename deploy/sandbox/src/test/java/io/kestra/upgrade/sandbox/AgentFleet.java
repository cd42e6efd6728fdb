package io.kestra.upgrade.sandbox;

import io.kestra.sim.Install;
import io.kestra.upgrade.agent.core.AgentCore;
import io.kestra.upgrade.agent.core.AgentSettings;
import io.kestra.upgrade.agent.core.KafkaSettings;
import io.kestra.upgrade.agent.driver.process.ProcessDriver;
import io.kestra.upgrade.agent.driver.process.ProcessDriverSettings;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.testsupport.TestKafka;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A stand-in Kestra fleet for one end-to-end scenario: its own database, its own install folder,
 * real sim processes, each driven by a real agent core (in this JVM: the core is built to be
 * instantiated many times) with the real process driver.
 */
final class AgentFleet implements AutoCloseable {

  /** Versions every scenario's install offers; a scenario may leave one out. */
  static final List<String> VERSIONS = List.of("0.21.4", "1.0.0");

  private final String cluster;
  private final Path dir;
  private final Layout layout;
  private final Topics topics;
  private final TestPostgres.Database kestraDb;
  private final Map<String, FleetSpec.Server> servers = new LinkedHashMap<>();
  private final Map<String, AgentCore> cores = new LinkedHashMap<>();
  private final Map<String, String> javaOpts = new LinkedHashMap<>();
  private final Path faults;
  private String graceInConfig = KestraConfig.GRACE_PERIOD;

  AgentFleet(String cluster, Path dir, Layout layout, Topics topics) throws IOException {
    this.cluster = cluster;
    this.dir = dir;
    this.layout = layout;
    this.topics = topics;
    this.kestraDb = TestPostgres.newDatabase("kestra_" + cluster.replace('-', '_'));
    this.faults = dir.resolve("faults.properties");
    Files.createDirectories(dir);
    Files.writeString(faults, "");
  }

  /** Adds a server; the first one's agent backs up and migrates unless another says so. */
  AgentFleet server(String kind, String instance, String capabilities, String... args)
      throws IOException {
    int mgmt = CoordinatorProcess.freePort();
    int api =
        kind.equals("webserver") || kind.equals("standalone") ? CoordinatorProcess.freePort() : 0;
    servers.put(
        instance, new FleetSpec.Server(kind, instance, mgmt, api, List.of(args), capabilities));
    return this;
  }

  /** The fault file every server of this fleet reads (see the sim's fault switches). */
  void faults(String content) throws IOException {
    Files.writeString(faults, content);
  }

  /** Extra -D options for a server (through the agent's java-opts). */
  AgentFleet javaOpts(String instance, String opts) {
    javaOpts.put(instance, opts);
    return this;
  }

  AgentFleet grace(String kestraDuration) {
    graceInConfig = kestraDuration;
    return this;
  }

  /**
   * Installs the launchers, creates Kestra's schema at 0.21.4, starts every agent (which starts its
   * server).
   */
  AgentFleet start(List<String> versions) throws Exception {
    Install.write(dir.resolve("kestra"), versions, layout.simJar() + ":" + layout.simLibs() + "/*");
    for (FleetSpec.Server s : servers.values()) {
      Files.writeString(
          config(s),
          KestraConfig.yaml(
              kestraDb.jdbcUrl(), kestraDb.user(), kestraDb.password(), graceInConfig, s),
          StandardCharsets.UTF_8);
    }
    FleetSpec.Server first = servers.values().iterator().next();
    Process migrate =
        new ProcessBuilder(
                dir.resolve("kestra/kestra-0.21.4").toString(),
                "sys",
                "database",
                "migrate",
                "-c",
                config(first).toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("initial-migrate.log").toFile())
            .start();
    if (migrate.waitFor() != 0) {
      throw new IllegalStateException(
          "initial migration failed: " + Files.readString(dir.resolve("initial-migrate.log")));
    }
    for (FleetSpec.Server s : servers.values()) {
      startAgent(s.instance());
    }
    return this;
  }

  Path config(FleetSpec.Server s) {
    return dir.resolve(s.instance() + ".yml");
  }

  /** Starts (or restarts, on the same state folder) the agent of {@code instance}. */
  AgentCore startAgent(String instance) {
    FleetSpec.Server s = servers.get(instance);
    AgentId id = new AgentId(cluster, ComponentKind.fromWire(s.kind()), instance);
    Path state = dir.resolve("agents/" + instance);
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
                    kestraDb.jdbcUrl(),
                    kestraDb.user(),
                    Optional.of(kestraDb.password()),
                    dir.resolve("backups"),
                    Optional.empty()));
    ProcessDriverSettings settings =
        new ProcessDriverSettings(
            dir.resolve("kestra"),
            id.kind(),
            state,
            new ProcessDriverSettings.Boot(Optional.of(KestraVersion.parse("0.21.4")), true),
            new ProcessDriverSettings.Launch(
                s.serverArgs(),
                Optional.of(config(s)),
                "-Dkestra.sim.faults=" + faults + " " + javaOpts.getOrDefault(instance, ""),
                dir.resolve("logs/" + instance + ".log")),
            new ProcessDriverSettings.Probe(s.managementPort(), Duration.ofMillis(500)),
            new ProcessDriverSettings.Limits(
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(5)),
            database);
    AgentSettings agent =
        new AgentSettings(
            id,
            "e2e",
            new KafkaSettings(TestKafka.bootstrapServers(), topics, 3, (short) 1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            state,
            Optional.empty(),
            capabilities);
    AgentCore core =
        new AgentCore(agent, new ProcessDriver(settings, Clock.systemUTC()), Clock.systemUTC());
    core.start();
    cores.put(instance, core);
    return core;
  }

  /**
   * Closes the agent of {@code instance} as its process would end: a command it runs is abandoned.
   */
  void stopAgent(String instance) {
    cores.remove(instance).close();
  }

  String cluster() {
    return cluster;
  }

  String agentId(String instance) {
    return cluster + "/" + servers.get(instance).kind() + "/" + instance;
  }

  String webserverUrl() {
    return servers.values().stream()
        .filter(s -> s.apiPort() > 0)
        .findFirst()
        .map(s -> "http://localhost:" + s.apiPort())
        .orElseThrow();
  }

  int size() {
    return servers.size();
  }

  /** Runs a query on Kestra's database and returns the first column of the first row. */
  long count(String sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(kestraDb.jdbcUrl(), kestraDb.user(), kestraDb.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Pids of the sim processes of this fleet still alive, by their config file on the command line.
   */
  List<ProcessHandle> serverProcesses(String instance) {
    String marker = dir.resolve(instance + ".yml").toString();
    return ProcessHandle.allProcesses()
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains(marker) && c.contains("io.kestra.sim"))
                    .orElse(false))
        .toList();
  }

  @Override
  public void close() {
    new ArrayList<>(cores.keySet()).forEach(this::stopAgent);
    ManagedProcess.stopServersUnder(dir, Duration.ofSeconds(5));
  }
}
