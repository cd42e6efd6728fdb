package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.agent.driver.BackupResult;
import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.agent.driver.StartRequest;
import io.kestra.upgrade.agent.driver.StopMode;
import io.kestra.upgrade.agent.driver.StopOutcome;
import io.kestra.upgrade.agent.driver.StopRequest;
import io.kestra.upgrade.agent.testing.Sims;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process driver against real stand-in servers and a real PostgreSQL. */
class ProcessDriverIT {

  private static final KestraVersion V0_21 = KestraVersion.parse("0.21.4");
  private static final KestraVersion V0_22 = KestraVersion.parse("0.22.1");
  private static final KestraVersion V1_0 = KestraVersion.parse("1.0.0");
  private static final KestraVersion V2_0 = KestraVersion.parse("2.0.0");

  @TempDir static Path installDir;
  @TempDir Path tmp;

  private final List<ProcessDriver> drivers = new ArrayList<>();
  private TestPostgres.Database db;
  private int managementPort;
  private int apiPort;
  private Path faults;

  @BeforeAll
  static void install() {
    Sims.install(installDir);
  }

  @BeforeEach
  void database() {
    db = TestPostgres.newDatabase("agent_driver");
    managementPort = Sims.freePort();
    apiPort = Sims.freePort();
    faults = tmp.resolve("faults.properties");
  }

  @AfterEach
  void cleanUp() {
    drivers.forEach(ProcessDriver::close);
    Sims.killAll();
  }

  private ProcessDriverSettings settings(ComponentKind kind, boolean autostart) {
    return settings(kind, autostart, List.of(), Map.of());
  }

  private ProcessDriverSettings settings(
      ComponentKind kind, boolean autostart, List<String> serverArgs, Map<String, String> config) {
    Path file = Sims.configFile(tmp.resolve("application.yml"), db, config);
    return new ProcessDriverSettings(
        installDir,
        kind,
        tmp.resolve("state"),
        new ProcessDriverSettings.Boot(Optional.of(V0_21), autostart),
        new ProcessDriverSettings.Launch(
            serverArgs,
            OptionalInt.of(apiPort),
            Optional.of(file),
            "-Dkestra.sim.faults=" + faults,
            tmp.resolve("server.log")),
        new ProcessDriverSettings.Probe(managementPort, Duration.ofMillis(200)),
        new ProcessDriverSettings.Limits(
            Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMinutes(2)),
        Optional.of(
            new ProcessDriverSettings.Database(
                db.jdbcUrl(),
                db.user(),
                Optional.of(db.password()),
                tmp.resolve("backups"),
                Optional.empty())));
  }

  private ProcessDriver boot(ProcessDriverSettings settings) {
    ProcessDriver driver = new ProcessDriver(settings, Clock.systemUTC());
    drivers.add(driver);
    driver.boot();
    return driver;
  }

  private ProcessDriver boot(ComponentKind kind) {
    return boot(settings(kind, false));
  }

  private StopOutcome stop(ProcessDriver driver) throws Exception {
    return driver.stop(
        new StopRequest(Optional.of(Duration.ofSeconds(20)), Optional.empty(), Instant.now()),
        Progress.none());
  }

  private static DriverException failure(ThrowingRunnable action) {
    try {
      action.run();
    } catch (DriverException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError("expected a DriverException, got " + e, e);
    }
    throw new AssertionError("expected a DriverException");
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void startsTheTargetVersionWaitsForReadinessAndStopsIt() throws Exception {
    ProcessDriver driver = boot(ComponentKind.EXECUTOR);
    assertThat(driver.observe().state()).isEqualTo(ComponentState.STOPPED);
    List<String> progress = new ArrayList<>();

    driver.start(
        V0_21,
        new StartRequest(Optional.empty(), Optional.of(Duration.ofSeconds(90))),
        progress::add);

    Observed observed = driver.observe();
    assertThat(observed.state()).isEqualTo(ComponentState.RUNNING);
    assertThat(observed.ready()).isTrue();
    assertThat(observed.version()).isEqualTo("0.21.4");
    assertThat(driver.isRunning(V0_21)).isTrue();
    assertThat(progress).anyMatch(p -> p.startsWith("waiting for 0.21.4 to report ready"));
    ProcessHandle server = Sims.running().get(0);
    assertThat(ServerHandle.arguments(server))
        .containsSequence(
            "server",
            "executor",
            "--port",
            Integer.toString(apiPort),
            "-c",
            tmp.resolve("application.yml").toString());
    assertThat(Files.readString(tmp.resolve("server.log"))).isNotBlank();
    assertThat(apiStatus()).as("--port honoured: an executor answers 404 there").isEqualTo(404);

    // START is idempotent; another version while one runs is refused
    driver.start(V0_21, StartRequest.defaults(), Progress.none());
    assertThat(Sims.running()).extracting(ProcessHandle::pid).containsExactly(server.pid());
    assertThat(
            failure(() -> driver.start(V0_22, StartRequest.defaults(), Progress.none())).reason())
        .isEqualTo(FailureReason.VERSION_MISMATCH);

    StopOutcome stopped = stop(driver);
    assertThat(driver.lastExitCode()).as("a JVM ended by SIGTERM").hasValue(143);
    assertThat(stopped.mode()).isEqualTo(StopMode.GRACEFUL);
    assertThat(server.isAlive()).isFalse();
    assertThat(driver.observe().state()).isEqualTo(ComponentState.STOPPED);
    assertThat(stop(driver).mode()).isEqualTo(StopMode.NONE);
  }

  @Test
  void aServerCrashingWhileStartingFailsTheStartWithTheTailOfItsLog() throws Exception {
    Files.writeString(faults, "startup.crash=executor\n");
    ProcessDriver driver = boot(ComponentKind.EXECUTOR);

    DriverException e =
        failure(() -> driver.start(V0_21, StartRequest.defaults(), Progress.none()));

    assertThat(e.reason()).isEqualTo(FailureReason.START_FAILED);
    assertThat(e.getMessage())
        .contains("exited while starting with code 1 (failed)")
        .contains("server.log");
    assertThat(e.getMessage().lines().count()).isGreaterThan(1);
    assertThat(driver.observe().state()).isEqualTo(ComponentState.FAILED);
  }

  @Test
  void aServerRefusingItsArgumentsFailsTheStartWithItsExitCode() throws Exception {
    ProcessDriver old =
        boot(settings(ComponentKind.WORKER, false, List.of("--no-such-flag"), Map.of()));
    DriverException before12 =
        failure(() -> old.start(V0_21, StartRequest.defaults(), Progress.none()));
    assertThat(before12.reason()).isEqualTo(FailureReason.START_FAILED);
    assertThat(before12.getMessage())
        .as("Kestra before 1.2: the parse error escapes main")
        .contains("with code 1 (failed)")
        .contains("UnmatchedArgumentException");

    DriverException from12 =
        failure(() -> old.start(V2_0, StartRequest.defaults(), Progress.none()));
    assertThat(from12.getMessage())
        .as("picocli's own usage error")
        .contains("with code 2 (usage error)")
        .contains("Unknown option: '--no-such-flag'");
  }

  @Test
  void aConfigFilePinningAnotherManagementPortFailsTheStartWithoutLaunching() throws Exception {
    ProcessDriver driver =
        boot(
            settings(
                ComponentKind.EXECUTOR,
                false,
                List.of(),
                Map.of("endpoints.all.port", Integer.toString(Sims.freePort()))));

    DriverException e =
        failure(() -> driver.start(V0_21, StartRequest.defaults(), Progress.none()));

    assertThat(e.reason()).isEqualTo(FailureReason.START_FAILED);
    assertThat(e.getMessage()).contains("not launched").contains("probes " + managementPort);
    assertThat(Sims.running()).isEmpty();
  }

  @Test
  void aServerThatTerminatesItselfExitsZeroAndIsStoppedNotFailed() throws Exception {
    ProcessDriver driver = boot(ComponentKind.WORKER);
    driver.start(V0_22, StartRequest.defaults(), Progress.none());

    // what Kestra's liveness coordinator writes for a service it no longer hears from
    sql(
        "UPDATE service_instance SET value = jsonb_set(value, '{state}', '\"DISCONNECTED\"')"
            + " WHERE service_type = 'WORKER'");

    await().atMost(Sims.patience()).until(() -> Sims.running().isEmpty());
    await().atMost(Sims.patience()).until(() -> driver.observe().state() == ComponentState.STOPPED);
    assertThat(driver.lastExitCode()).hasValue(0);
    assertThat(Files.readString(tmp.resolve("server.log"))).contains("Terminating server.");
  }

  @Test
  void aServerSigtermedBySomeoneElseHasFailed() throws Exception {
    ProcessDriver driver = boot(ComponentKind.SCHEDULER);
    driver.start(V1_0, StartRequest.defaults(), Progress.none());
    ProcessHandle server = Sims.running().get(0);

    server.destroy();

    await().atMost(Sims.patience()).until(() -> driver.observe().state() == ComponentState.FAILED);
    assertThat(driver.lastExitCode()).hasValue(143);
  }

  @Test
  void theGracePeriodTheServerAppliesIsReadFromItsConfigFileAndWinsOverTheStarts()
      throws Exception {
    ProcessDriver driver =
        boot(
            settings(
                ComponentKind.WORKER,
                false,
                List.of("-t", "1"),
                Map.of("kestra.server.termination-grace-period", "45s")));
    assertThat(driver.configuredGracePeriod())
        .as("read at boot, no server running")
        .contains(Duration.ofSeconds(45));

    driver.start(
        V0_22,
        new StartRequest(Optional.empty(), Optional.of(Duration.ofSeconds(90))),
        Progress.none());

    assertThat(driver.configuredGracePeriod()).contains(Duration.ofSeconds(45));
    assertThat(serviceGracePeriod()).as("what the server itself published").isEqualTo("PT45S");
  }

  @Test
  void withoutAConfiguredGracePeriodTheStartsApplies() throws Exception {
    ProcessDriver driver =
        boot(settings(ComponentKind.WORKER, false, List.of("-t", "1"), Map.of()));
    assertThat(driver.configuredGracePeriod())
        .as("Kestra's default")
        .contains(Duration.ofMinutes(5));

    driver.start(
        V0_22,
        new StartRequest(Optional.empty(), Optional.of(Duration.ofSeconds(90))),
        Progress.none());

    assertThat(driver.configuredGracePeriod()).contains(Duration.ofSeconds(90));
    assertThat(serviceGracePeriod()).isEqualTo("PT1M30S");
    stop(driver);
    assertThat(driver.configuredGracePeriod())
        .as("stopped: what a server launched without a START's own would apply")
        .contains(Duration.ofMinutes(5));
  }

  @Test
  void aServerNeverReadyTimesOutAndIsLeftRunning() throws Exception {
    Files.writeString(faults, "readiness.never-up=*\n");
    ProcessDriver driver = boot(ComponentKind.INDEXER);

    DriverException e =
        failure(
            () ->
                driver.start(
                    V0_21,
                    new StartRequest(Optional.of(Duration.ofSeconds(3)), Optional.empty()),
                    Progress.none()));

    assertThat(e.reason()).isEqualTo(FailureReason.READINESS_TIMEOUT);
    assertThat(e.getMessage()).contains("left running");
    assertThat(driver.observe().state()).isEqualTo(ComponentState.STARTING);
    assertThat(Sims.running()).hasSize(1);
  }

  @Test
  void prepareRefusesAMissingLauncher() throws Exception {
    ProcessDriver driver = boot(ComponentKind.WORKER);
    driver.prepare(V1_0);
    DriverException e = failure(() -> driver.prepare(KestraVersion.parse("1.0.1")));
    assertThat(e.reason()).isEqualTo(FailureReason.LAUNCHER_MISSING);
    assertThat(e.getMessage()).contains("kestra-1.0.1");
  }

  @Test
  void aRestartedAgentAdoptsTheRunningServerAndCanStopIt() throws Exception {
    ProcessDriverSettings settings = settings(ComponentKind.EXECUTOR, false);
    ProcessDriver first = boot(settings);
    first.start(V0_21, StartRequest.defaults(), Progress.none());
    long pid = Sims.running().get(0).pid();
    first.close();

    ProcessDriver second = boot(settings);
    await().atMost(Sims.patience()).until(() -> second.observe().ready());
    assertThat(second.observe().state()).isEqualTo(ComponentState.RUNNING);
    assertThat(second.isRunning(V0_21)).isTrue();
    assertThat(Sims.running()).extracting(ProcessHandle::pid).containsExactly(pid);

    assertThat(stop(second).mode()).isEqualTo(StopMode.GRACEFUL);
    // dead: it may stay a zombie of this JVM, which started it through the first driver and, being
    // no init, never reaps an orphan; the real agent's server is reaped by pid 1 or the agent
    assertThat(ProcessHandle.of(pid).map(Pids::isAlive).orElse(false)).isFalse();
  }

  @Test
  void autostartLaunchesTheInitialVersionButAStoppedServerStaysStopped() throws Exception {
    ProcessDriverSettings settings = settings(ComponentKind.EXECUTOR, true);
    ProcessDriver first = boot(settings);
    await().atMost(Sims.patience()).until(() -> first.observe().state() == ComponentState.RUNNING);
    assertThat(first.observe().version()).isEqualTo("0.21.4");
    stop(first);
    first.close();

    ProcessDriver second = boot(settings);
    assertThat(second.observe().state()).isEqualTo(ComponentState.STOPPED);
    assertThat(Sims.running()).isEmpty();
  }

  @Test
  void migratesTheSchemaWithTheTargetVersion() throws Exception {
    ProcessDriver driver = boot(ComponentKind.EXECUTOR);
    driver.migrate(V0_21, Optional.empty(), Progress.none());
    assertThat(schemaVersion()).isEqualTo("3");

    driver.migrate(V1_0, Optional.empty(), Progress.none());

    assertThat(schemaVersion()).isEqualTo("5");
  }

  @Test
  void aRestoreTakesTheSchemaBackToTheLevelOfItsBackupAndTheNextMigrationSucceeds()
      throws Exception {
    ProcessDriver driver = boot(ComponentKind.EXECUTOR);
    driver.migrate(V0_21, Optional.empty(), Progress.none());
    sql(execution("before"));
    BackupResult old = driver.backup(Optional.empty(), Set.of(), Progress.none());
    driver.migrate(V1_0, Optional.empty(), Progress.none());
    assertThat(schemaVersion()).isEqualTo("5");
    sql(execution("after-1"), execution("after-2"));
    BackupResult second = driver.backup(Optional.empty(), Set.of(), Progress.none());

    Optional<List<String>> dropped =
        driver.restore(
            old.backupId(), Optional.of(second.backupId()), Optional.empty(), Progress.none());

    assertThat(dropped).as("what the restore dropped").contains(List.of("after-1", "after-2"));
    assertThat(count("SELECT count(*) FROM executions")).isEqualTo(1);
    assertThat(schemaVersion()).as("flyway_schema_history back at 0.21's level").isEqualTo("3");
    driver.migrate(V1_0, Optional.empty(), Progress.none());
    assertThat(schemaVersion()).isEqualTo("5");
  }

  @Test
  void aBackupKeepsTheNewestBackupsAndThoseItIsToldToKeep() throws Exception {
    ProcessDriver driver = boot(ComponentKind.EXECUTOR);
    List<String> taken = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      taken.add(driver.backup(Optional.empty(), Set.of(), Progress.none()).backupId());
    }
    assertThat(backupIds())
        .as("the default retention: the 3 newest")
        .containsExactlyInAnyOrderElementsOf(taken.subList(1, 4));

    String fifth =
        driver.backup(Optional.empty(), Set.of(taken.get(1)), Progress.none()).backupId();

    assertThat(backupIds())
        .as("the one to keep stays, however old")
        .containsExactlyInAnyOrder(taken.get(1), taken.get(2), taken.get(3), fifth);
  }

  private static String execution(String id) {
    return "INSERT INTO executions (id, namespace, flow_id, task_duration_ms, state) VALUES ('"
        + id
        + "', 'sim', 'f', 1, 'CREATED')";
  }

  private List<String> backupIds() throws IOException {
    try (var files = Files.list(tmp.resolve("backups"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".dump"))
          .map(n -> n.substring(0, n.length() - ".dump".length()))
          .toList();
    }
  }

  @Test
  void aFailedMigrationReportsTheToolsOutput() throws Exception {
    Files.writeString(faults, "migration.fail=1.0.0\n");
    ProcessDriver driver = boot(ComponentKind.EXECUTOR);

    DriverException e = failure(() -> driver.migrate(V1_0, Optional.empty(), Progress.none()));

    assertThat(e.reason()).isEqualTo(FailureReason.MIGRATION_FAILED);
    assertThat(e.getMessage()).contains("exited with code 1").containsIgnoringCase("migration");
  }

  @Test
  void backsUpAndRestoresAfterCheckingTheChecksum() throws Exception {
    ProcessDriver driver = boot(ComponentKind.STANDALONE);
    sql("CREATE TABLE agent_probe (id int)", "INSERT INTO agent_probe VALUES (1)");

    BackupResult backup = driver.backup(Optional.empty(), Set.of(), Progress.none());
    Path dump = tmp.resolve("backups").resolve(backup.backupId() + ".dump");
    assertThat(dump).exists().hasSize(backup.sizeBytes());
    assertThat(backup.sha256()).hasSize(64).isEqualTo(PgBackups.sha256(dump));

    sql("INSERT INTO agent_probe VALUES (2)", "CREATE TABLE agent_later (id int)");
    driver.restore(backup.backupId(), Optional.empty(), Optional.empty(), Progress.none());
    assertThat(count("SELECT count(*) FROM agent_probe")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM pg_tables WHERE tablename = 'agent_later'"))
        .as("what was created after the backup is gone: the schema was emptied, not cleaned")
        .isZero();

    driver.checkBackup(backup.backupId(), Progress.none());
    Files.write(dump, new byte[] {0}, StandardOpenOption.APPEND);
    assertThat(failure(() -> driver.checkBackup(backup.backupId(), Progress.none())).reason())
        .isEqualTo(FailureReason.CHECKSUM_MISMATCH);
    DriverException tampered =
        failure(
            () ->
                driver.restore(
                    backup.backupId(), Optional.empty(), Optional.empty(), Progress.none()));
    assertThat(tampered.reason()).isEqualTo(FailureReason.CHECKSUM_MISMATCH);
    assertThat(
            failure(
                    () ->
                        driver.restore(
                            "backup-none", Optional.empty(), Optional.empty(), Progress.none()))
                .reason())
        .isEqualTo(FailureReason.BACKUP_NOT_FOUND);
  }

  @Test
  void aFailedDumpIsReportedWithTheToolsOutput() throws Exception {
    ProcessDriverSettings good = settings(ComponentKind.STANDALONE, false);
    ProcessDriverSettings.Database wrong =
        new ProcessDriverSettings.Database(
            db.jdbcUrl().replace(db.name(), "no_such_db"),
            db.user(),
            Optional.of(db.password()),
            tmp.resolve("backups"),
            Optional.empty());
    ProcessDriver driver =
        boot(
            new ProcessDriverSettings(
                good.installDir(),
                good.kind(),
                good.stateDir(),
                good.boot(),
                good.launch(),
                good.probe(),
                good.limits(),
                Optional.of(wrong)));

    DriverException e = failure(() -> driver.backup(Optional.empty(), Set.of(), Progress.none()));

    assertThat(e.reason()).isEqualTo(FailureReason.BACKUP_FAILED);
    assertThat(e.getMessage()).contains("pg_dump exited with code").contains("no_such_db");
    assertThat(e.getMessage()).doesNotContain(db.password() + "@");
    try (var files = Files.list(tmp.resolve("backups"))) {
      assertThat(files)
          .noneMatch(f -> f.toString().endsWith(".dump") || f.toString().endsWith(".partial"));
    }
  }

  private String schemaVersion() throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1")) {
      r.next();
      return r.getString(1);
    }
  }

  private int apiStatus() throws Exception {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + apiPort + "/api/v1/executions/search")
                .toURL()
                .openConnection();
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }

  private String serviceGracePeriod() throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT value->'config'->>'terminationGracePeriod' FROM service_instance"
                    + " WHERE service_type = 'WORKER' ORDER BY value->>'createdAt' DESC LIMIT 1")) {
      r.next();
      return r.getString(1);
    }
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  private long count(String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }
}
