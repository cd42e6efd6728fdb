package io.kestra.upgrade.sandbox.e2e;

import io.kestra.upgrade.sandbox.stack.Credentials;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.stack.ManagedProcess;
import io.kestra.upgrade.sandbox.support.Http;
import io.kestra.upgrade.sandbox.support.Poll;
import io.kestra.upgrade.testsupport.TestKafka;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The real coordinator, {@code quarkus-run.jar}, as its own process, against the test broker and a
 * fresh database of the test PostgreSQL.
 */
final class CoordinatorProcess implements AutoCloseable {

  private static final Set<Integer> GIVEN = new HashSet<>();

  private final ManagedProcess process;
  private final int port;
  private final Credentials credentials;

  private CoordinatorProcess(ManagedProcess process, int port, Credentials credentials) {
    this.process = process;
    this.port = port;
    this.credentials = credentials;
  }

  static CoordinatorProcess start(Layout layout, Path work, String topicPrefix) throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("coordinator");
    Credentials credentials = new Credentials(work.resolve("credentials"));
    credentials.start(System.out);
    int port = freePort();
    ManagedProcess p =
        new ManagedProcess(
            "coordinator", work.resolve("coordinator.pid"), work.resolve("coordinator.log"));
    p.start(
        List.of(
            ManagedProcess.javaExecutable(),
            "-Xmx384m",
            "-jar",
            layout.coordinatorJar().toString()),
        Map.ofEntries(
            Map.entry("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl()),
            Map.entry("QUARKUS_DATASOURCE_USERNAME", db.user()),
            Map.entry("QUARKUS_DATASOURCE_PASSWORD", db.password()),
            Map.entry("KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrapServers()),
            Map.entry("QUARKUS_HTTP_PORT", Integer.toString(port)),
            Map.entry("COORDINATOR_KAFKA_TOPIC_PREFIX", topicPrefix),
            Map.entry("COORDINATOR_FLEET_HEARTBEAT_INTERVAL", "PT1S"),
            Map.entry("COORDINATOR_SWEEP_INTERVAL", "PT0.5S"),
            Map.entry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", credentials.publicKey().toString()),
            // until the agents sign their messages with their own keys
            Map.entry("COORDINATOR_SECURITY_INSECURE", "true")),
        work);
    CoordinatorProcess c = new CoordinatorProcess(p, port, credentials);
    Http http = new Http();
    Poll.until(
        "the coordinator (log: " + p.logFile() + ")",
        Duration.ofMinutes(2),
        () -> http.isOk(c.url() + "/q/health/ready"));
    return c;
  }

  /** A client of its REST API with an operator's token. */
  Http client() {
    return new Http(credentials::operator);
  }

  String url() {
    return "http://localhost:" + port;
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
    process.stop(Duration.ofSeconds(15));
  }
}
