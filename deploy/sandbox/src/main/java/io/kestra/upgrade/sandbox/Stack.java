package io.kestra.upgrade.sandbox;

import io.kestra.sim.Install;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The sandbox's processes, started in order and each only if it is not running yet (so {@code up}
 * is idempotent): PostgreSQL, a Kafka broker, the coordinator, then one agent per stand-in Kestra
 * server, each agent starting its server the way it would start a real one.
 *
 * <ol>
 *   <li>PostgreSQL (embedded binaries, or {@code UPGRADE_DB_URL}), with Kestra's and the
 *       coordinator's databases.
 *   <li>Kafka: Apache Kafka's own jars, KRaft combined mode, formatted at the first start.
 *   <li>The coordinator, {@code quarkus-run.jar}, on 8090.
 *   <li>The stand-in Kestra install: {@code kestra-<version>} launchers, one config file per
 *       server, and Kestra's schema at the fleet's version, as an operator's first install leaves
 *       it.
 *   <li>The agents, which start their servers on the fleet's version.
 * </ol>
 */
public final class Stack {

  /** The versions the stand-in install offers. */
  public static final List<String> VERSIONS = List.of("0.21.4", "0.22.0", "1.0.0");

  private final Layout layout;
  private final Database db;
  private final FleetSpec fleet;
  private final String fleetVersion;
  private final Http http = new Http();

  public Stack(Layout layout, Database db, FleetSpec fleet, String fleetVersion) {
    this.layout = layout;
    this.db = db;
    this.fleet = fleet;
    this.fleetVersion = fleetVersion;
  }

  public Layout layout() {
    return layout;
  }

  public FleetSpec fleet() {
    return fleet;
  }

  public String coordinatorUrl() {
    return "http://localhost:" + Ports.COORDINATOR;
  }

  public String webserverUrl() {
    return "http://localhost:" + Ports.KESTRA_API;
  }

  /** Starts whatever part is not running, then waits until every agent reports its server ready. */
  public void up(PrintStream out) throws IOException, SQLException, InterruptedException {
    Files.createDirectories(layout.logs());
    startPostgres(out);
    startKafka(out);
    startCoordinator(out);
    installKestra(out);
    for (FleetSpec.Server server : fleet.servers()) {
      startAgent(server, out);
    }
    out.println("· waiting for the fleet to register and be ready …");
    await("every agent ready", Duration.ofMinutes(3), this::fleetReady);
    out.println("✓ fleet ready: " + fleet.servers().size() + " servers, " + versions());
  }

  /** One line per part. */
  public List<String> status() {
    List<String> lines = new ArrayList<>();
    lines.add(
        line(
            "postgres",
            db.external() ? null : process("postgres"),
            db.url(Database.KESTRA) + (db.external() ? " (external)" : "")));
    lines.add(line("kafka", process("kafka"), "bootstrap localhost:" + Ports.KAFKA));
    lines.add(line("coordinator", process("coordinator"), coordinatorUrl()));
    for (FleetSpec.Server s : fleet.servers()) {
      String url = s.apiPort() > 0 ? "API http://localhost:" + s.apiPort() + ", " : "";
      lines.add(
          line(
              "agent " + s.instance(),
              process("agent-" + s.instance()),
              url + "management http://localhost:" + s.managementPort()));
    }
    lines.addAll(servers());
    lines.add("logs: " + layout.logs());
    return lines;
  }

  /** The Kestra servers as their agents last reported them, when the coordinator answers. */
  private List<String> servers() {
    List<String> lines = new ArrayList<>();
    try {
      Http.Answer a =
          http.get(
              coordinatorUrl() + "/api/v1/agents?cluster=" + fleet.cluster(),
              Duration.ofSeconds(2));
      for (var agent : a.body()) {
        lines.add(
            String.format(
                "kestra %-15s %-8s %-8s version %s%s",
                agent.path("instance").asText(),
                agent.path("status").asText().toLowerCase(java.util.Locale.ROOT),
                "",
                agent.path("version").asText(),
                agent.path("ready").asBoolean() ? ", ready" : ", not ready"));
      }
    } catch (IOException e) {
      lines.add("kestra servers: unknown (the coordinator does not answer)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return lines;
  }

  private String versions() throws IOException, InterruptedException {
    Http.Answer a =
        http.get(
            coordinatorUrl() + "/api/v1/agents?cluster=" + fleet.cluster(), Duration.ofSeconds(5));
    java.util.Set<String> v = new java.util.TreeSet<>();
    a.body().forEach(agent -> v.add(agent.path("version").asText()));
    return "version " + String.join(", ", v);
  }

  private String line(String name, ManagedProcess p, String where) {
    String state;
    if (p == null) {
      state = db.isUp() ? "up      " : "down    ";
      return String.format("%-22s %s %-8s %s", name, state, "-", where);
    }
    var h = p.handle();
    state = h.isPresent() ? "running " : "stopped ";
    return String.format(
        "%-22s %s %-8s %s", name, state, h.map(x -> Long.toString(x.pid())).orElse("-"), where);
  }

  /**
   * Stops everything the sandbox started: the agents, the Kestra servers they started, the
   * coordinator, Kafka, PostgreSQL. No process is left and the ports are free.
   */
  public void down(PrintStream out) {
    for (FleetSpec.Server s : fleet.servers()) {
      process("agent-" + s.instance()).stop(Duration.ofSeconds(10));
    }
    ManagedProcess.stopServersUnder(layout.home(), Duration.ofSeconds(10));
    process("coordinator").stop(Duration.ofSeconds(15));
    process("kafka").stop(Duration.ofSeconds(20));
    process("postgres").stop(Duration.ofSeconds(15));
    purge();
    out.println("✓ sandbox stopped; its logs stay in " + layout.logs());
  }

  /** The next {@code up} starts from nothing: data, state and install go, the logs stay. */
  private void purge() {
    try (var entries = Files.list(layout.home())) {
      for (Path p : entries.filter(p -> !p.equals(layout.logs())).toList()) {
        try (var tree = Files.walk(p)) {
          tree.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    } catch (IOException e) {
      // nothing was started yet, or it is gone already
    }
  }

  /** Whether any part is running. */
  public boolean anyRunning() {
    List<String> names = new ArrayList<>(List.of("postgres", "kafka", "coordinator"));
    fleet.servers().forEach(s -> names.add("agent-" + s.instance()));
    return names.stream().anyMatch(n -> process(n).isRunning());
  }

  ManagedProcess process(String name) {
    return ManagedProcess.of(layout, name);
  }

  private void startPostgres(PrintStream out)
      throws IOException, SQLException, InterruptedException {
    if (!db.external() && !process("postgres").isRunning()) {
      out.println("· starting PostgreSQL on " + Ports.POSTGRES);
      process("postgres")
          .start(
              List.of(
                  java(),
                  "-Xmx128m",
                  "-cp",
                  sandboxClasspath(),
                  PostgresMain.class.getName(),
                  layout.data("postgres").toString(),
                  Integer.toString(Ports.POSTGRES)),
              Map.of(),
              layout.home());
    }
    await("PostgreSQL", Duration.ofMinutes(2), db::isUp);
    db.createDatabases();
  }

  private void startKafka(PrintStream out) throws IOException, InterruptedException {
    if (process("kafka").isRunning()) {
      return;
    }
    Path dir = layout.data("kafka");
    Files.createDirectories(dir);
    Path props = layout.home().resolve("config/kafka.properties");
    Path log4j = layout.home().resolve("config/kafka-log4j2.properties");
    Files.createDirectories(props.getParent());
    Files.writeString(
        props, KafkaConfig.serverProperties(dir.resolve("log")), StandardCharsets.UTF_8);
    Files.writeString(log4j, KafkaConfig.LOG4J, StandardCharsets.UTF_8);
    String cp = layout.kafkaLibs() + "/*";
    if (!Files.exists(dir.resolve("log/meta.properties"))) {
      out.println("· formatting Kafka's storage (KRaft)");
      run(
          List.of(
              java(),
              "-cp",
              cp,
              "-Dlog4j2.configurationFile=" + log4j,
              "kafka.tools.StorageTool",
              "format",
              "--standalone",
              "-t",
              KafkaConfig.clusterId(),
              "-c",
              props.toString()),
          "kafka-format");
    }
    out.println("· starting Kafka on " + Ports.KAFKA);
    process("kafka")
        .start(
            List.of(
                java(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=" + log4j,
                "-cp",
                cp,
                "kafka.Kafka",
                props.toString()),
            Map.of(),
            layout.home());
    await("Kafka", Duration.ofMinutes(2), () -> Ports.isOpen(Ports.KAFKA));
  }

  private void startCoordinator(PrintStream out) throws IOException, InterruptedException {
    if (!process("coordinator").isRunning()) {
      out.println("· starting the coordinator on " + Ports.COORDINATOR);
      process("coordinator")
          .start(
              List.of(java(), "-Xmx384m", "-jar", layout.coordinatorJar().toString()),
              Map.of(
                  "QUARKUS_DATASOURCE_JDBC_URL", db.url(Database.COORDINATOR),
                  "QUARKUS_DATASOURCE_USERNAME", db.user(),
                  "QUARKUS_DATASOURCE_PASSWORD", db.password(),
                  "KAFKA_BOOTSTRAP_SERVERS", "localhost:" + Ports.KAFKA,
                  "QUARKUS_HTTP_PORT", Integer.toString(Ports.COORDINATOR)),
              layout.home());
    }
    await(
        "the coordinator",
        Duration.ofMinutes(2),
        () -> http.isOk(coordinatorUrl() + "/q/health/ready"));
  }

  private void installKestra(PrintStream out)
      throws IOException, SQLException, InterruptedException {
    Install.write(
        layout.kestraInstall(), VERSIONS, layout.simJar() + ":" + layout.simLibs() + "/*");
    for (FleetSpec.Server s : fleet.servers()) {
      Path file = configFile(s);
      Files.createDirectories(file.getParent());
      Files.writeString(file, KestraConfig.yaml(db, s), StandardCharsets.UTF_8);
    }
    if (!kestraSchemaExists()) {
      // what an operator's first install does; from then on, servers start with migration off
      out.println("· creating Kestra's schema at " + fleetVersion);
      run(
          List.of(
              layout.kestraInstall().resolve("kestra-" + fleetVersion).toString(),
              "sys",
              "database",
              "migrate",
              "-c",
              configFile(fleet.servers().get(0)).toString()),
          "kestra-install-migrate");
    }
  }

  Path configFile(FleetSpec.Server s) {
    return layout.home().resolve("config/" + s.instance() + ".yml");
  }

  private boolean kestraSchemaExists() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(db.url(Database.KESTRA), db.user(), db.password());
        ResultSet rs = c.getMetaData().getTables(null, "public", "flyway_schema_history", null)) {
      return rs.next();
    }
  }

  private void startAgent(FleetSpec.Server s, PrintStream out) throws IOException {
    ManagedProcess p = process("agent-" + s.instance());
    if (p.isRunning()) {
      return;
    }
    out.println("· starting the agent of " + s.kind() + " " + s.instance());
    List<String> cmd =
        new ArrayList<>(List.of(java(), "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    AgentProperties.of(layout, db, fleet.cluster(), s, configFile(s), fleetVersion)
        .forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(layout.agentJar().toString());
    p.start(
        cmd, Map.of(AgentProperties.ENV_PASSWORD, db.password()), layout.agentState(s.instance()));
  }

  private boolean fleetReady() {
    try {
      Http.Answer a =
          http.get(
              coordinatorUrl() + "/api/v1/agents?cluster=" + fleet.cluster(),
              Duration.ofSeconds(5));
      if (a.status() != 200 || a.body().size() != fleet.servers().size()) {
        return false;
      }
      for (var agent : a.body()) {
        if (!agent.path("ready").asBoolean() || agent.path("lost").asBoolean()) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void run(List<String> command, String logName) throws IOException, InterruptedException {
    Path log = layout.logs().resolve(logName + ".log");
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed; see " + log);
    }
  }

  private String sandboxClasspath() {
    return layout.sandboxJar() + ":" + layout.sandboxLibs() + "/*";
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(what + " not ready after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(250);
    }
  }

  /** Kafka's server configuration for one combined KRaft node. */
  static final class KafkaConfig {
    static final String LOG4J =
        """
        rootLogger.level=INFO
        rootLogger.appenderRef.stdout.ref=STDOUT
        appender.stdout.type=Console
        appender.stdout.name=STDOUT
        appender.stdout.layout.type=PatternLayout
        appender.stdout.layout.pattern=[%d] %p %m (%c)%n
        logger.kafka.name=org.apache.kafka
        logger.kafka.level=WARN
        """;

    static String clusterId() {
      // a Kafka cluster id is a base64url UUID of 22 characters
      UUID u = UUID.randomUUID();
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    static String serverProperties(Path logDir) {
      return String.join(
          "\n",
          "process.roles=broker,controller",
          "node.id=1",
          "controller.quorum.bootstrap.servers=localhost:" + Ports.KAFKA_CONTROLLER,
          "listeners=PLAINTEXT://localhost:"
              + Ports.KAFKA
              + ",CONTROLLER://localhost:"
              + Ports.KAFKA_CONTROLLER,
          "advertised.listeners=PLAINTEXT://localhost:" + Ports.KAFKA,
          "controller.listener.names=CONTROLLER",
          "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
          "inter.broker.listener.name=PLAINTEXT",
          "log.dirs=" + logDir,
          "offsets.topic.replication.factor=1",
          "offsets.topic.num.partitions=3",
          "transaction.state.log.replication.factor=1",
          "transaction.state.log.min.isr=1",
          "group.initial.rebalance.delay.ms=0",
          "num.partitions=3",
          "auto.create.topics.enable=false",
          "");
    }
  }
}
