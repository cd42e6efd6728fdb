package io.kestra.sim.server;

import com.sun.net.httpserver.HttpServer;
import io.kestra.sim.config.Settings;
import io.kestra.sim.db.ConnectionPool;
import io.kestra.sim.db.MigrationException;
import io.kestra.sim.db.SchemaMigrator;
import io.kestra.sim.fault.Fault;
import io.kestra.sim.fault.Faults;
import io.kestra.sim.http.HttpServers;
import io.kestra.sim.http.NotFoundHandler;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Kestra server ({@code kestra server <kind>}). Start-up, in Kestra's order:
 *
 * <ol>
 *   <li>connect to the database; migrate it to the version's level, or, with {@code
 *       flyway.datasources.postgres.enabled=false}, only validate it (a schema behind the level
 *       ends the start with Flyway's {@code Validate failed}): in Kestra this happens while the
 *       application context starts, before any port opens;
 *   <li>the {@code startup.crash} fault ends the start here;
 *   <li>start the embedded web server, as Kestra does for every server command: bind the API port
 *       ({@code micronaut.server.port}; 404 on every path but a webserver's or standalone's API)
 *       and the management port ({@code endpoints.all.port}: liveness UP, readiness DOWN); a taken
 *       port ends the start;
 *   <li>register the services (CREATED) and heartbeat them;
 *   <li>install the shutdown hook ({@link GracefulShutdown}), start the roles, move the services to
 *       RUNNING;
 *   <li>readiness turns UP once {@code kestra.sim.startup-delay} has passed since the process
 *       entered its main method; the main thread then waits (see {@link Termination}).
 * </ol>
 *
 * A failed start returns 1 at once: nothing was registered, no hook installed.
 */
public final class SimServer {

  private static final Logger LOG = Logger.getLogger(SimServer.class.getName());

  private final SimVersion version;
  private final ServerRequest request;
  private final Settings settings;
  private final Faults faults;
  private final Instant startedAt;
  private volatile Worker worker;

  /**
   * A server for a {@code server <kind>} command line.
   *
   * @param startedAt when the process entered its main method: readiness is UP no earlier than the
   *     startup delay after it (the kernel's process start time is only precise to a second)
   */
  public SimServer(
      SimVersion version,
      ServerRequest request,
      Settings settings,
      Faults faults,
      Instant startedAt) {
    this.version = version;
    this.request = request;
    this.settings = settings;
    this.faults = faults;
    this.startedAt = startedAt;
  }

  /**
   * Runs the server. Returns when start-up fails (1), or when the server terminated itself (0,
   * after which the caller exits and the shutdown hook stops the server); after an outside SIGTERM
   * it never returns.
   */
  public int run() {
    logStart();
    ComponentKind kind = request.kind();
    ConnectionPool db =
        new ConnectionPool(
            settings.datasource(), "kestra-" + kind.wireName(), request.workerThreads() + 6);
    if (!prepareDatabase(db)) {
      return 1;
    }
    if (faults.isOn(Fault.STARTUP_CRASH, kind.wireName(), version.version())) {
      LOG.severe(
          "Server start-up failed: simulated crash (fault " + Fault.STARTUP_CRASH.key() + ")");
      return 1;
    }
    HttpServer apiHttp;
    HttpServer managementHttp;
    try {
      apiHttp = HttpServers.bind("api", settings.ports().api(), 4);
      try {
        managementHttp = HttpServers.bind("management", settings.ports().management(), 2);
      } catch (PortInUseException e) {
        apiHttp.stop(0);
        throw e;
      }
    } catch (PortInUseException e) {
      LOG.log(Level.SEVERE, e.getMessage());
      return 1;
    }
    apiHttp.createContext("/", new NotFoundHandler());
    if (!Roles.servesApi(kind)) {
      apiHttp.start();
    }
    Readiness readiness =
        new Readiness(
            startedAt.plus(settings.simulation().startupDelay()),
            faults,
            kind.wireName(),
            version.version());
    ServerInfo server = serverInfo(apiHttp, managementHttp);
    ServiceRegistry registry =
        new ServiceRegistry(
            new ServiceInstanceRepository(db), server, ServiceConfig.of(settings.server()));
    Metrics metrics =
        new Metrics(
            version.toString(),
            kind.wireName(),
            () -> worker == null ? 0 : worker.runningCount(),
            request.workerThreads(),
            readiness::isReady);
    new ManagementServer(managementHttp, readiness, registry::isHealthy, metrics).start();
    LOG.info(() -> running(apiHttp, managementHttp, server.hostname()));

    Roles roles;
    try {
      roles = Roles.create(request, version, registry, db, settings, apiHttp);
    } catch (SQLException e) {
      LOG.log(Level.SEVERE, "Cannot register the services: " + e.getMessage(), e);
      return 1;
    }
    worker = roles.worker().orElse(null);
    Termination termination = new Termination();
    start(roles, registry, readiness, termination);
    announceReadiness(readiness);
    return awaitTermination(termination);
  }

  private void start(
      Roles roles, ServiceRegistry registry, Readiness readiness, Termination termination) {
    registry.onEviction(new EvictionPolicy(registry, readiness, termination));
    Heartbeat heartbeat = new Heartbeat();
    heartbeat.start(registry, settings.server().liveness());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                new GracefulShutdown(
                    () ->
                        faults.isOn(
                            Fault.SHUTDOWN_HANG, request.kind().wireName(), version.version()),
                    readiness,
                    registry,
                    roles.all(),
                    heartbeat),
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
    SchemaMigrator migrator =
        new SchemaMigrator(
            settings.datasource(), db, version, faults, settings.simulation().migrationDuration());
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
    LOG.info(() -> "Starting Kestra " + version + " with environments [cli] (kestra-sim)");
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
                + request.command()
                + (request.workerThreads() > 0
                    ? " with " + request.workerThreads() + " worker thread(s)"
                    : ""));
  }

  private ServerInfo serverInfo(HttpServer api, HttpServer management) {
    return new ServerInfo(
        UUID.randomUUID().toString(),
        request.kind() == ComponentKind.STANDALONE ? "STANDALONE" : "SERVER",
        version.toString(),
        Hostnames.local(),
        api.getAddress().getPort(),
        management.getAddress().getPort());
  }

  private static String running(HttpServer api, HttpServer management, String host) {
    return "Server Running: http://"
        + host
        + ":"
        + api.getAddress().getPort()
        + ", Management server on port http://"
        + host
        + ":"
        + management.getAddress().getPort()
        + "/health";
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

  private static int awaitTermination(Termination termination) {
    try {
      termination.await();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warning("Main thread interrupted: shutting down");
      return 0;
    }
  }
}
