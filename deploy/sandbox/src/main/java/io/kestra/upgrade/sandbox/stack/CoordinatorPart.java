package io.kestra.upgrade.sandbox.stack;

import io.kestra.upgrade.sandbox.support.Http;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator, its {@code quarkus-run.jar} run as a process on {@link Ports#COORDINATOR},
 * configured by the environment variables an operator would set.
 */
final class CoordinatorPart implements Part {

  private final Layout layout;
  private final Database db;
  private final Credentials credentials;
  private final ManagedProcess process;
  private final Http http = new Http();

  CoordinatorPart(Layout layout, Database db, Credentials credentials) {
    this.layout = layout;
    this.db = db;
    this.credentials = credentials;
    this.process = ManagedProcess.of(layout, "coordinator");
  }

  /** Its REST API. */
  String url() {
    return "http://localhost:" + Ports.COORDINATOR;
  }

  @Override
  public String name() {
    return "coordinator";
  }

  @Override
  public void start(PrintStream out) throws IOException, InterruptedException {
    if (!process.isRunning()) {
      out.println("· starting the coordinator on " + Ports.COORDINATOR);
      process.start(
          List.of(
              ManagedProcess.javaExecutable(),
              "-Xmx384m",
              "-jar",
              layout.coordinatorJar().toString()),
          Map.of(
              "QUARKUS_DATASOURCE_JDBC_URL", db.url(Database.COORDINATOR),
              "QUARKUS_DATASOURCE_USERNAME", db.user(),
              "QUARKUS_DATASOURCE_PASSWORD", db.password(),
              "KAFKA_BOOTSTRAP_SERVERS", "localhost:" + Ports.KAFKA,
              "QUARKUS_HTTP_PORT", Integer.toString(Ports.COORDINATOR),
              "MP_JWT_VERIFY_PUBLICKEY_LOCATION", credentials.publicKey().toString(),
              "COORDINATOR_RELEASE_CATALOG", layout.standInReleases().toString(),
              // by environment, never on a command line another user could read
              "COORDINATOR_SECURITY_MASTER_KEY", credentials.masterKey()),
          layout.home());
    }
    Readiness.await(
        "the coordinator",
        "see " + process.logFile(),
        Duration.ofMinutes(2),
        () -> http.isOk(url() + "/q/health/ready"));
  }

  @Override
  public Optional<ManagedProcess> process() {
    return Optional.of(process);
  }

  @Override
  public boolean running() {
    return process.isRunning();
  }

  @Override
  public PartStatus status() {
    return PartStatus.of(name(), process, url());
  }

  @Override
  public void stop() {
    process.stop(Duration.ofSeconds(15));
  }
}
