package io.kestra.upgrade.sandbox.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of one agent process, as system properties of {@code component-agent}'s {@code
 * quarkus-run.jar} (each key is documented on the agent's {@code AgentConfig}), and the command
 * that runs it. The sandbox and the end-to-end tests launch agents with it alike. The database
 * password goes through the environment ({@link #ENV_PASSWORD}), not the command line, where any
 * user of the machine could read it.
 */
public final class AgentProperties {

  /** The environment variable of Kestra's database password, for the process driver. */
  public static final String ENV_PASSWORD = "AGENT_DRIVER_PROCESS_DATABASE_PASSWORD";

  /** Small, quick to start: six agents share the machine with everything else. */
  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final Map<String, String> values = new LinkedHashMap<>();

  /** What goes by environment variable, not on the command line that every user may read. */
  private final Map<String, String> secrets = new LinkedHashMap<>();

  /** The driver: {@code process} or {@code docker}, whose keys are {@code agent.driver.<it>.*}. */
  private final String driver;

  private AgentProperties(String driver) {
    this.driver = driver;
  }

  private String key(String name) {
    return "agent.driver." + driver + "." + name;
  }

  /**
   * The agent of server {@code s}: the process driver, starting its server when the agent starts.
   *
   * @param cluster the agent's cluster
   * @param s the server
   * @param bootstrapServers the Kafka broker
   */
  public static AgentProperties of(String cluster, FleetSpec.Server s, String bootstrapServers) {
    AgentProperties p = common("process", cluster, s, bootstrapServers);
    p.values.put("agent.driver.process.autostart", "true");
    if (!s.serverArgs().isEmpty()) {
      p.values.put("agent.driver.process.server-args", String.join(",", s.serverArgs()));
    }
    p.values.put("agent.driver.process.management-port", Integer.toString(s.managementPort()));
    return p;
  }

  /**
   * The agent of server {@code s} run by Compose: the docker driver, finding its container by the
   * Compose labels of {@code project} and the service named as the instance.
   */
  public static AgentProperties docker(
      String cluster, FleetSpec.Server s, String bootstrapServers, String project) {
    AgentProperties p = common("docker", cluster, s, bootstrapServers);
    p.values.put("agent.driver.docker.compose-project", project);
    p.values.put("agent.driver.docker.compose-service", s.instance());
    p.values.put("agent.driver.docker.management-port", Integer.toString(s.managementPort()));
    return p;
  }

  private static AgentProperties common(
      String driver, String cluster, FleetSpec.Server s, String bootstrapServers) {
    AgentProperties p = new AgentProperties(driver);
    p.values.put("kafka.bootstrap.servers", bootstrapServers);
    p.values.put("agent.cluster", cluster);
    p.values.put("agent.kind", s.kind());
    p.values.put("agent.instance", s.instance());
    if (!s.capabilities().isEmpty()) {
      p.values.put("agent.capabilities", s.capabilities());
    }
    p.values.put("agent.driver.type", driver);
    // the agent's output goes to the log file its launcher gives it
    p.values.put("quarkus.log.file.enabled", "false");
    return p;
  }

  /** The Kestra install: its launchers, the version that runs first, the server's config file. */
  public AgentProperties install(Path installDir, String initialVersion, Path configFile) {
    values.put("agent.driver.process.install-dir", installDir.toString());
    values.put("agent.driver.process.initial-version", initialVersion);
    values.put("agent.driver.process.config-file", configFile.toString());
    // the agent may install a new -c file at an upgrade's start, and put it back on rollback
    values.merge("agent.capabilities", "CONFIG_FILE", (before, added) -> before + "," + added);
    return this;
  }

  /**
   * Kestra's maintenance API at {@code url}, as {@code user} (the password goes with the database
   * one, by environment variable): the agent may switch maintenance mode (MAINTENANCE).
   */
  public AgentProperties maintenance(String url, String user) {
    values.put("agent.driver.maintenance.url", url);
    values.put("agent.driver.maintenance.username", user);
    values.merge("agent.capabilities", "MAINTENANCE", (before, added) -> before + "," + added);
    return this;
  }

  /** Where the agent keeps its journal and its server's record. */
  public AgentProperties stateDir(Path dir) {
    values.put("agent.state-dir", dir.toString());
    return this;
  }

  /**
   * Where the process driver's server output goes (a container's goes to the engine), and the
   * dumps.
   */
  public AgentProperties files(Path serverLog, Path backupDir) {
    if (driver.equals("process")) {
      values.put("agent.driver.process.log-file", serverLog.toString());
    }
    values.put(key("backup-dir"), backupDir.toString());
    return this;
  }

  /** Kestra's database, for BACKUP and RESTORE (the password goes by {@link #ENV_PASSWORD}). */
  public AgentProperties database(String jdbcUrl, String user) {
    values.put(key("database.url"), jdbcUrl);
    values.put(key("database.username"), user);
    return this;
  }

  /** Another topic prefix than Kestra's default (tests share one broker). */
  public AgentProperties topicPrefix(String prefix) {
    values.put("agent.topic-prefix", prefix);
    return this;
  }

  /** Another heartbeat interval than the default 2 s. */
  public AgentProperties heartbeatInterval(Duration interval) {
    values.put("agent.heartbeat-interval", interval.toString());
    return this;
  }

  /** The agent's own key (64 hex digits), by environment variable {@code AGENT_SIGNING_KEY}. */
  public AgentProperties signingKey(String agentKey) {
    secrets.put("AGENT_SIGNING_KEY", agentKey);
    return this;
  }

  /**
   * Kafka client properties besides the bootstrap servers ({@code security.protocol}, {@code
   * sasl.*}), by environment variable ({@code KAFKA_SASL_JAAS_CONFIG}: a password may be in it).
   */
  public AgentProperties kafkaClient(Map<String, String> properties) {
    properties.forEach(
        (k, v) ->
            secrets.put("KAFKA_" + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), v));
    return this;
  }

  /** Where the PostgreSQL client tools of BACKUP and RESTORE are, instead of the PATH. */
  public AgentProperties pgBinDir(Path dir) {
    values.put(key("pg-bin-dir"), dir.toString());
    return this;
  }

  /** The server's {@code JAVA_OPTS}. */
  public AgentProperties serverJavaOpts(String opts) {
    values.put("agent.driver.process.java-opts", opts);
    return this;
  }

  /** The properties, in the order they were set. */
  public Map<String, String> values() {
    return Collections.unmodifiableMap(values);
  }

  /** The agent's state folder, which is also its working folder. */
  public Path stateDir() {
    String dir = values.get("agent.state-dir");
    if (dir == null) {
      throw new IllegalStateException("no state folder set for " + values.get("agent.instance"));
    }
    return Path.of(dir);
  }

  /** {@code java <options> -D<key>=<value>... -jar <agentJar>}. */
  public List<String> command(Path agentJar) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ManagedProcess.javaExecutable());
    cmd.addAll(JVM_OPTIONS);
    values.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(agentJar.toString());
    return cmd;
  }

  /**
   * Starts the agent as {@code process}, in its state folder.
   *
   * @param databasePassword Kestra's database password, or null; also its API's (see {@link
   *     KestraConfig#API_USER}) when the agent has the maintenance API
   */
  public ProcessHandle start(ManagedProcess process, Path agentJar, String databasePassword)
      throws java.io.IOException {
    Map<String, String> env = new LinkedHashMap<>(secrets);
    if (databasePassword != null) {
      env.put(
          "AGENT_DRIVER_" + driver.toUpperCase(java.util.Locale.ROOT) + "_DATABASE_PASSWORD",
          databasePassword);
      if (values.containsKey("agent.driver.maintenance.url")) {
        env.put("AGENT_DRIVER_MAINTENANCE_PASSWORD", databasePassword);
      }
    }
    return process.start(command(agentJar), env, stateDir());
  }
}
