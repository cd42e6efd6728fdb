package io.kestra.sim.server;

import com.sun.net.httpserver.HttpServer;
import io.kestra.sim.api.ApiServer;
import io.kestra.sim.config.Settings;
import io.kestra.sim.db.ConnectionPool;
import io.kestra.sim.execution.ExecutionRepository;
import io.kestra.sim.execution.Ledger;
import io.kestra.sim.execution.StatsRepository;
import io.kestra.sim.execution.TaskDurations;
import io.kestra.sim.executor.Executor;
import io.kestra.sim.indexer.Indexer;
import io.kestra.sim.maintenance.InstanceMaintenance;
import io.kestra.sim.role.Role;
import io.kestra.sim.scheduler.Scheduler;
import io.kestra.sim.service.ServiceRegistry;
import io.kestra.sim.service.ServiceType;
import io.kestra.sim.version.SimVersion;
import io.kestra.sim.worker.ShutdownLines;
import io.kestra.sim.worker.Worker;
import io.kestra.upgrade.common.ComponentKind;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The roles of a server kind, each registered as a service, in stop order: webserver first (its API
 * goes down at once), worker last (it drains). A webserver and a standalone also run an embedded
 * indexer unless {@code --no-indexer}, as Kestra's do.
 *
 * @param all the roles
 * @param worker the worker, if the server has one
 */
record Roles(List<Role> all, Optional<Worker> worker) {

  private static final Logger LOG = Logger.getLogger(Roles.class.getName());

  /**
   * Creates and registers the roles a request asks for.
   *
   * @param api the bound API port, which a webserver or standalone serves
   */
  static Roles create(
      ServerRequest request,
      SimVersion version,
      ServiceRegistry registry,
      ConnectionPool db,
      Settings settings,
      HttpServer api)
      throws SQLException {
    ComponentKind kind = request.kind();
    boolean standalone = kind == ComponentKind.STANDALONE;
    TaskDurations durations =
        new TaskDurations(
            settings.simulation().taskMinDuration(), settings.simulation().taskMaxDuration());
    Ledger ledger = new Ledger(settings.simulation().ledgerFile());
    ExecutionRepository executions = new ExecutionRepository(db, ledger);
    List<Role> roles = new ArrayList<>();
    Worker worker = null;
    if (servesApi(kind)) {
      roles.add(
          new ApiServer(
              registry.register(ServiceType.WEBSERVER),
              api,
              executions,
              new StatsRepository(db, ledger),
              durations,
              new InstanceMaintenance(db),
              settings.server().basicAuth().required()));
    }
    if (standalone || kind == ComponentKind.SCHEDULER) {
      roles.add(
          new Scheduler(
              registry.register(ServiceType.SCHEDULER),
              executions,
              durations,
              settings.simulation().schedulerRate()));
    }
    if (standalone || kind == ComponentKind.EXECUTOR) {
      roles.add(
          new Executor(
              registry.register(ServiceType.EXECUTOR),
              db,
              new InstanceMaintenance(db),
              settings.server().liveness(),
              version.resubmitsForcedWorkersAtOnce()));
    }
    if (kind == ComponentKind.INDEXER || (servesApi(kind) && request.embeddedIndexer())) {
      if (kind == ComponentKind.WEBSERVER) {
        LOG.info("Starting an embedded indexer, this can be disabled by using `--no-indexer`.");
      }
      roles.add(new Indexer(registry.register(ServiceType.INDEXER)));
    }
    if ((standalone && request.workerThreads() > 0) || kind == ComponentKind.WORKER) {
      worker =
          new Worker(
              registry.register(ServiceType.WORKER),
              db,
              request.workerThreads(),
              settings.server().terminationGracePeriod(),
              ShutdownLines.of(version.hasWorkerModule()),
              request.workerGroup());
      roles.add(worker);
    }
    return new Roles(List.copyOf(roles), Optional.ofNullable(worker));
  }

  /** Whether a server of that kind serves the HTTP API (others answer 404 on its port). */
  static boolean servesApi(ComponentKind kind) {
    return kind == ComponentKind.STANDALONE || kind == ComponentKind.WEBSERVER;
  }
}
