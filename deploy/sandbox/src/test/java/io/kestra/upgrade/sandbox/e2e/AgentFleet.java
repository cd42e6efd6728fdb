package io.kestra.upgrade.sandbox.e2e;

import io.kestra.sim.Install;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.sandbox.stack.Credentials;
import io.kestra.upgrade.sandbox.stack.FleetSpec;
import io.kestra.upgrade.sandbox.stack.KestraConfig;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.stack.ManagedProcess;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in Kestra fleet for one end-to-end scenario: its own database, its own install folder,
 * real sim processes, each driven by a real agent with the real process driver. The agents are
 * either cores in this JVM (the core is built to be instantiated many times: cheap, and a test can
 * close one at any instant) or {@code component-agent}'s {@code quarkus-run.jar} as processes,
 * launched as the sandbox launches them.
 */
final class AgentFleet implements AutoCloseable {

  /** Versions every scenario's install offers; a scenario may leave one out. */
  static final List<String> VERSIONS = List.of("0.21.4", "1.0.0");

  /** The fleet's version before an upgrade. */
  static final String INITIAL_VERSION = "0.21.4";

  final String cluster;
  final Path dir;
  final Layout layout;
  final Topics topics;
  final Scenario.Kafka kafka;
  final Credentials credentials;
  final TestPostgres.Database kestraDb;
  final Path faults;
  private final Map<String, FleetSpec.Server> servers = new LinkedHashMap<>();
  private final Map<String, AutoCloseable> agents = new LinkedHashMap<>();
  private final Map<String, String> javaOpts = new LinkedHashMap<>();
  private String graceInConfig = KestraConfig.GRACE_PERIOD;
  private boolean agentProcesses;
  private Path pgBinDir;
  private String afterInitialMigration;

  /** A fleet of {@code scenario}'s installation: its broker, topics and agents' keys. */
  AgentFleet(String cluster, Path dir, Scenario scenario) throws IOException {
    this.cluster = cluster;
    this.dir = dir;
    this.layout = scenario.layout;
    this.topics = scenario.topics;
    this.kafka = scenario.kafka;
    this.credentials = scenario.installation.credentials();
    this.kestraDb = TestPostgres.newDatabase("kestra_" + cluster.replace('-', '_'));
    this.faults = dir.resolve("faults.properties");
    Files.createDirectories(dir);
    Files.writeString(faults, "");
  }

  /**
   * Adds a server, with API and management ports of its own: every Kestra server binds both. The
   * first one's agent backs up and migrates unless another says so.
   */
  AgentFleet server(String kind, String instance, String capabilities, String... args)
      throws IOException {
    int mgmt = CoordinatorProcess.freePort();
    int api = CoordinatorProcess.freePort();
    servers.put(
        instance, new FleetSpec.Server(kind, instance, mgmt, api, List.of(args), capabilities));
    return this;
  }

  /**
   * Runs every agent as its own process, from {@code component-agent}'s {@code quarkus-run.jar}.
   */
  AgentFleet agentProcesses() {
    agentProcesses = true;
    return this;
  }

  /**
   * Makes the PostgreSQL tools of the agents that back up slow: {@code pg_dump} waits {@code delay}
   * before it runs, and each run of it is counted ({@link #pgDumpRuns()}).
   */
  AgentFleet slowPgDump(Duration delay) throws IOException {
    return wrapPgDump("sleep " + delay.toMillis() / 1000.0 + "\n");
  }

  /** Makes {@code pg_dump} of the agents that back up fail, as with the database unreachable. */
  AgentFleet failingPgDump() throws IOException {
    return wrapPgDump(
        "echo 'pg_dump: error: connection to server failed (a test fault)' >&2\nexit 1\n");
  }

  /** The PostgreSQL tools, {@code pg_dump} running {@code before} first; each run counted. */
  private AgentFleet wrapPgDump(String before) throws IOException {
    pgBinDir = Files.createDirectories(dir.resolve("pg-bin"));
    for (String tool : List.of("pg_dump", "pg_restore", "psql")) {
      String real = onPath(tool);
      String wait = tool.equals("pg_dump") ? before : "";
      Path wrapper = pgBinDir.resolve(tool);
      Files.writeString(
          wrapper,
          "#!/bin/sh\n"
              + "echo \"$$\" >> '"
              + pgBinDir.resolve(tool + ".runs")
              + "'\n"
              + wait
              + "exec '"
              + real
              + "' \"$@\"\n");
      wrapper.toFile().setExecutable(true);
    }
    return this;
  }

  /** How often {@code pg_dump} ran, with {@link #slowPgDump}. */
  long pgDumpRuns() throws IOException {
    Path runs = pgBinDir.resolve("pg_dump.runs");
    return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
  }

  /** The folder of the PostgreSQL tools the backing-up agents use, or {@code null} for PATH's. */
  Path pgBinDir() {
    return pgBinDir;
  }

  private static String onPath(String tool) {
    for (String d : System.getenv("PATH").split(":")) {
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new IllegalStateException(tool + " is not on the PATH");
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

  /** SQL run on Kestra's database once its schema exists, before any server starts. */
  AgentFleet afterInitialMigration(String sql) {
    afterInitialMigration = sql;
    return this;
  }

  AgentFleet grace(String kestraDuration) {
    graceInConfig = kestraDuration;
    return this;
  }

  /**
   * Installs the launchers, creates Kestra's schema at {@link #INITIAL_VERSION}, starts every agent
   * (which starts its server).
   */
  AgentFleet start(List<String> versions) throws Exception {
    Install.write(dir.resolve("kestra"), versions, layout.simJar() + ":" + layout.simLibs() + "/*");
    for (FleetSpec.Server s : servers.values()) {
      Files.writeString(
          config(s),
          KestraConfig.yaml(
              kestraDb.jdbcUrl(),
              kestraDb.user(),
              kestraDb.password(),
              graceInConfig,
              s,
              null,
              dir.resolve("kestra-ledger.txt")),
          StandardCharsets.UTF_8);
    }
    FleetSpec.Server first = servers.values().iterator().next();
    Process migrate =
        new ProcessBuilder(
                dir.resolve("kestra/kestra-" + INITIAL_VERSION).toString(),
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
    if (afterInitialMigration != null) {
      try (Connection c =
              DriverManager.getConnection(
                  kestraDb.jdbcUrl(), kestraDb.user(), kestraDb.password());
          Statement st = c.createStatement()) {
        st.execute(afterInitialMigration);
      }
    }
    for (FleetSpec.Server s : servers.values()) {
      startAgent(s.instance());
    }
    return this;
  }

  Path config(FleetSpec.Server s) {
    return dir.resolve(s.instance() + ".yml");
  }

  Path stateDir(String instance) {
    return dir.resolve("agents/" + instance);
  }

  Path serverLog(String instance) {
    return dir.resolve("logs/" + instance + ".log");
  }

  /** The server's {@code JAVA_OPTS}: this fleet's faults file, and the scenario's options. */
  String serverJavaOpts(String instance) {
    return ("-Dkestra.sim.faults=" + faults + " " + javaOpts.getOrDefault(instance, "")).trim();
  }

  /** Starts (or restarts, on the same state folder) the agent of {@code instance}. */
  void startAgent(String instance) throws IOException {
    FleetSpec.Server s = servers.get(instance);
    agents.put(instance, agentProcesses ? ProcessAgent.start(this, s) : InJvmAgent.start(this, s));
  }

  /**
   * Kills the agent process of {@code instance} with SIGKILL, as a crash: its server and any tool
   * it ran live on. Only for agents run as processes.
   */
  void killAgent(String instance) {
    AutoCloseable agent = agents.remove(instance);
    if (!(agent instanceof ProcessAgent process)) {
      throw new IllegalStateException(instance + " is not an agent process");
    }
    process.kill();
  }

  /** The instances of the fleet, in the order they were added. */
  List<String> instances() {
    return List.copyOf(servers.keySet());
  }

  /** The key of the agent of {@code instance}, derived from the installation's master key. */
  String agentKey(String instance) {
    return credentials.agentKey(agentId(instance));
  }

  /**
   * Stops the agent of {@code instance} as its process would end: a command it runs is abandoned.
   */
  void stopAgent(String instance) throws Exception {
    agents.remove(instance).close();
  }

  String cluster() {
    return cluster;
  }

  String agentId(String instance) {
    return cluster + "/" + servers.get(instance).kind() + "/" + instance;
  }

  String webserverUrl() {
    return "http://localhost:"
        + new FleetSpec(cluster, List.copyOf(servers.values())).apiServer().apiPort();
  }

  /** The management port of {@code instance}'s server ({@code endpoints.all.port}). */
  int managementPort(String instance) {
    return servers.get(instance).managementPort();
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
   * The sim processes of {@code instance} still alive, by their config file on the command line.
   */
  List<ProcessHandle> serverProcesses(String instance) {
    return ManagedProcess.serversUnder(dir.resolve(instance + ".yml"));
  }

  @Override
  public void close() throws Exception {
    for (String instance : new ArrayList<>(agents.keySet())) {
      stopAgent(instance);
    }
    ManagedProcess.stopServersUnder(dir, Duration.ofSeconds(5));
  }
}
