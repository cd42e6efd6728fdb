package io.kestra.upgrade.sandbox.e2e;

import io.kestra.upgrade.sandbox.stack.Credentials;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.stack.ManagedProcess;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.sandbox.support.Poll;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The real coordinator, {@code quarkus-run.jar}, as its own process on a port of its own, against a
 * broker and a database of the test's. It can be killed (SIGKILL), frozen (SIGSTOP), thawed and
 * started again with the same instance id, port and database, as an operator's service manager
 * would restart it; several may run side by side on one database and broker.
 */
final class CoordinatorProcess implements AutoCloseable {

  /**
   * What coordinators of one installation share.
   *
   * @param work where logs, pid files and credentials go
   * @param bootstrap the broker
   * @param kafkaClient Kafka client properties besides the bootstrap servers (SASL, for example)
   * @param db the coordinator's database
   * @param topicPrefix the installation's topics
   * @param credentials the REST API's keys and tokens, and the agents' master key
   */
  record Installation(
      Path work,
      String bootstrap,
      Map<String, String> kafkaClient,
      TestPostgres.Database db,
      String topicPrefix,
      Credentials credentials) {

    /** A new installation's own database and credentials under {@code work}. */
    static Installation create(
        Path work,
        String bootstrap,
        Map<String, String> kafkaClient,
        String topicPrefix,
        TestPostgres.Database db)
        throws IOException {
      Credentials credentials = new Credentials(work.resolve("credentials"));
      credentials.start(System.out);
      return new Installation(work, bootstrap, kafkaClient, db, topicPrefix, credentials);
    }
  }

  private static final Set<Integer> GIVEN = new HashSet<>();

  private final Installation installation;
  private final String name;
  private final int port;
  private final Layout layout;
  private final ManagedProcess process;

  private CoordinatorProcess(Layout layout, Installation installation, String name, int port) {
    this.layout = layout;
    this.installation = installation;
    this.name = name;
    this.port = port;
    this.process =
        new ManagedProcess(
            name,
            installation.work().resolve(name + ".pid"),
            installation.work().resolve(name + ".log"));
  }

  /** Starts a coordinator named {@code name} (its instance id) and waits until it is ready. */
  static CoordinatorProcess start(Layout layout, Installation installation, String name)
      throws Exception {
    CoordinatorProcess c = new CoordinatorProcess(layout, installation, name, freePort());
    c.start();
    return c;
  }

  /** Starts it again (after a kill): same instance id, port, database. */
  void start() throws IOException, InterruptedException {
    Files.createDirectories(installation.work());
    process.start(
        List.of(
            ManagedProcess.javaExecutable(),
            "-Xmx384m",
            "-jar",
            layout.coordinatorJar().toString()),
        environment(),
        installation.work());
    Http http = new Http();
    Poll.until(
        "the coordinator " + name + " (log: " + process.logFile() + ")",
        Duration.ofMinutes(2),
        () -> http.isOk(url() + "/q/health/ready"));
  }

  private Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    TestPostgres.Database db = installation.db();
    env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
    env.put("QUARKUS_DATASOURCE_USERNAME", db.user());
    env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
    env.put("KAFKA_BOOTSTRAP_SERVERS", installation.bootstrap());
    // Kafka client properties the Quarkus way: kafka.sasl.mechanism → KAFKA_SASL_MECHANISM
    installation
        .kafkaClient()
        .forEach((k, v) -> env.put("KAFKA_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.put("COORDINATOR_INSTANCE_ID", name);
    env.put("COORDINATOR_KAFKA_TOPIC_PREFIX", installation.topicPrefix());
    env.put("COORDINATOR_FLEET_HEARTBEAT_INTERVAL", "PT1S");
    env.put("COORDINATOR_SWEEP_INTERVAL", "PT0.5S");
    env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", installation.credentials().publicKey().toString());
    env.put("COORDINATOR_SECURITY_MASTER_KEY", installation.credentials().masterKey());
    return env;
  }

  /** SIGKILL, and wait until it is gone, as a crash. */
  void kill() {
    process.kill();
  }

  /** SIGSTOP: the process is frozen, its connections stay open. */
  void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  void thaw() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    long pid = process.handle().orElseThrow().pid();
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
    }
  }

  boolean isRunning() {
    return process.isRunning();
  }

  String name() {
    return name;
  }

  Path log() {
    return process.logFile();
  }

  String url() {
    return "http://localhost:" + port;
  }

  /** A client of its REST API with an operator's token. */
  Http client() {
    return new Http(installation.credentials()::operator);
  }

  Installation installation() {
    return installation;
  }

  /**
   * A port nothing listens on now, and not handed out before in this JVM: a fleet takes two per
   * server before any binds them, and the system may offer a port again once it is closed.
   */
  static synchronized int freePort() throws IOException {
    while (true) {
      try (ServerSocket s = new ServerSocket(0)) {
        s.setReuseAddress(true);
        if (GIVEN.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      }
    }
  }

  @Override
  public void close() {
    if (process.isRunning()) {
      try {
        thaw();
      } catch (IOException | InterruptedException | IllegalStateException e) {
        // not frozen, or gone meanwhile: the stop below settles it
      }
    }
    process.stop(Duration.ofSeconds(15));
  }
}
