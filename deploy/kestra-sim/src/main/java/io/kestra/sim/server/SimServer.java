package io.kestra.sim.server;

import com.sun.net.httpserver.HttpServer;
import io.kestra.sim.cli.Action;
import io.kestra.sim.cli.Invocation;
import io.kestra.sim.config.Settings;
import io.kestra.sim.db.ConnectionPool;
import io.kestra.sim.db.MigrationException;
import io.kestra.sim.db.SchemaMigrator;
import io.kestra.sim.fault.Fault;
import io.kestra.sim.fault.Faults;
import io.kestra.sim.http.HttpServers;
import io.kestra.sim.http.PortInUseException;
import io.kestra.sim.management.ManagementServer;
import io.kestra.sim.management.Metrics;
import io.kestra.sim.management.Readiness;
import io.kestra.sim.role.Role;
import io.kestra.sim.service.ServerInfo;
import io.kestra.sim.service.ServiceConfig;
import io.kestra.sim.service.ServiceInstanceRepository;
import io.kestra.sim.service.ServiceRegistry;
import io.kestra.sim.service.ServiceState;
import io.kestra.sim.version.SimVersion;
import io.kestra.sim.worker.Worker;
import io.kestra.upgrade.common.ComponentKind;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kestra server ({@code kestra server <kind>}). Start-up, in order:
 *
 * <ol>
 *   <li>bind the management port, and the API port of a webserver or standalone: a taken port ends
 *       the start with exit code 1;
 *   <li>serve the management port: liveness UP, readiness DOWN;
 *   <li>connect to the database; migrate it to the version's level, or, with {@code
 *       flyway.datasources.postgres.enabled=false}, only validate it (a schema behind the level
 *       ends the start with Flyway's {@code Validate failed} and exit code 1);
 *   <li>the {@code startup.crash} fault ends the start here (exit code 1);
 *   <li>register the services (CREATED) and heartbeat them;
 *   <li>install the shutdown hook ({@link GracefulShutdown}), start the roles, move the services to
 *       RUNNING;
 *   <li>readiness turns UP once {@code kestra.sim.startup-delay} has passed since the process
 *       entered its main method; the main thread then waits for SIGTERM.
 * </ol>
 */
public final class SimServer {

  private static final Logger LOG = Logger.getLogger(SimServer.class.getName());

  private final SimVersion version;
  private final ComponentKind kind;
  private final int workerThreads;
  private final Settings settings;
  private final Faults faults;
  private final Instant startedAt;
  private volatile Worker worker;

  /**
   * A server for a {@link Action#SERVER} invocation.
   *
   * @param startedAt when the process entered its main method: readiness is UP no earlier than the
   *     startup delay after it (the kernel's process start time is only precise to a second)
   */
  public SimServer(
      SimVersion version,
      Invocation invocation,
      Settings settings,
      Faults faults,
      Instant startedAt) {
    this.version = version;
    this.kind = invocation.kind();
    this.workerThreads = invocation.workerThreads();
    this.settings = settings;
    this.faults = faults;
    this.startedAt = startedAt;
  }

  /**
   * Runs the server. Returns only when start-up fails; once started, the process ends in the
   * shutdown hook.
   *
   * @return the exit code of a failed start-up (1)
   */
  public int run() {
    logStart();
    HttpServer managementHttp;
    HttpServer apiHttp;
    try {
      managementHttp = HttpServers.bind("management", settings.ports().management(), 2);
      apiHttp = Roles.servesApi(kind) ? HttpServers.bind("api", settings.ports().api(), 4) : null;
    } catch (PortInUseException e) {
      LOG.log(Level.SEVERE, e.getMessage());
      return 1;
    }
    Readiness readiness =
        new Readiness(
            startedAt.plus(settings.simulation().startupDelay()),
            faults,
            kind.wireName(),
            version.version());
    ServerInfo server = serverInfo();
    ConnectionPool db =
        new ConnectionPool(settings.datasource(), "kestra-" + kind.wireName(), workerThreads + 6);
    ServiceRegistry registry =
        new ServiceRegistry(
            new ServiceInstanceRepository(db), server, ServiceConfig.of(settings.server()));
    Metrics metrics =
        new Metrics(
            version.toString(),
            kind.wireName(),
            () -> worker == null ? 0 : worker.runningCount(),
            workerThreads,
            readiness::isReady);
    new ManagementServer(managementHttp, readiness, registry::isHealthy, metrics).start();

    if (!prepareDatabase(db)) {
      return 1;
    }
    if (faults.isOn(Fault.STARTUP_CRASH, kind.wireName(), version.version())) {
      LOG.severe(
          "Server start-up failed: simulated crash (fault " + Fault.STARTUP_CRASH.key() + ")");
      return 1;
    }
    Roles roles;
    try {
      roles = Roles.create(kind, workerThreads, registry, db, settings, apiHttp);
    } catch (SQLException e) {
      LOG.log(Level.SEVERE, "Cannot register the services: " + e.getMessage(), e);
      return 1;
    }
    worker = roles.worker().orElse(null);
    start(roles, registry, readiness);
    LOG.info(() -> running(managementHttp, apiHttp, server.hostname()));
    announceReadiness(readiness);
    awaitShutdown();
    return 0;
  }

  private void start(Roles roles, ServiceRegistry registry, Readiness readiness) {
    ExitStatus exit = new ExitStatus();
    registry.onEviction(new EvictionPolicy(registry, readiness, exit));
    Heartbeat heartbeat = new Heartbeat();
    heartbeat.start(registry, settings.server().liveness().heartbeatInterval());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                new GracefulShutdown(
                    () -> faults.isOn(Fault.SHUTDOWN_HANG, kind.wireName(), version.version()),
                    readiness,
                    registry,
                    roles.all(),
                    heartbeat,
                    exit),
                "command-shutdown"));
    roles.all().forEach(Role::start);
    registry.transitionAll(ServiceState.RUNNING);
    readiness.markStarted();
  }

  private boolean prepareDatabase(ConnectionPool db) {
    try {
      db.check();
    } catch (SQLException e) {
      LOG.log(
          Level.SEVERE,
          "Unable to connect to the database "
              + settings.datasource().url()
              + ": "
              + e.getMessage(),
          e);
      return false;
    }
    SchemaMigrator migrator = new SchemaMigrator(settings.datasource(), db, version, faults);
    try {
      if (settings.datasource().migrateAtStart()) {
        migrator.migrate();
      } else {
        LOG.info(
            "Flyway migration at start disabled: validating the schema up to version "
                + version.schemaLevel());
        migrator.validate();
      }
      return true;
    } catch (MigrationException e) {
      // Flyway's message says it all; the stack trace only at debug level
      LOG.severe(e.getMessage());
      LOG.log(Level.FINE, "Schema preparation failed", e);
      return false;
    }
  }

  private void logStart() {
    Runtime rt = Runtime.getRuntime();
    LOG.info("Starting Kestra with environments [cli]");
    LOG.info(
        "Machine information: "
            + rt.availableProcessors()
            + " available cpu(s), "
            + rt.maxMemory() / (1024 * 1024)
            + "MB max memory, Java version "
            + Runtime.version());
    LOG.info(
        () ->
            "Kestra "
                + version
                + " (kestra-sim) server "
                + kind.wireName()
                + (workerThreads > 0 ? " with " + workerThreads + " worker thread(s)" : ""));
  }

  private ServerInfo serverInfo() {
    return new ServerInfo(
        UUID.randomUUID().toString(),
        kind == ComponentKind.STANDALONE ? "STANDALONE" : "SERVER",
        version.toString(),
        Hostnames.local(),
        ProcessHandle.current().pid());
  }

  private static String running(HttpServer management, HttpServer api, String host) {
    String health = "http://" + host + ":" + management.getAddress().getPort() + "/health";
    if (api == null) {
      return "Server Running: management server on port " + health;
    }
    return "Server Running: http://"
        + host
        + ":"
        + api.getAddress().getPort()
        + ", Management server on port "
        + health;
  }

  private void announceReadiness(Readiness readiness) {
    Thread t =
        new Thread(
            () -> {
              Duration wait = Duration.between(Instant.now(), readiness.upNotBefore());
              try {
                if (!wait.isNegative()) {
                  Thread.sleep(wait.toMillis() + 1);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              if (readiness.isReady()) {
                LOG.info("Readiness is UP");
              } else if (!readiness.isStopping()) {
                LOG.warning("Readiness stays DOWN (fault " + Fault.READINESS_NEVER_UP.key() + ")");
              }
            },
            "readiness");
    t.setDaemon(true);
    t.start();
  }

  private static void awaitShutdown() {
    try {
      // as Kestra's Await.until(!running): the process ends in the shutdown hook
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warning("Main thread interrupted: shutting down");
    }
  }
}
