package io.kestra.sim.server;

import com.sun.net.httpserver.HttpServer;
import io.kestra.sim.api.ApiServer;
import io.kestra.sim.config.Settings;
import io.kestra.sim.db.ConnectionPool;
import io.kestra.sim.execution.ExecutionRepository;
import io.kestra.sim.execution.StatsRepository;
import io.kestra.sim.execution.TaskDurations;
import io.kestra.sim.executor.Executor;
import io.kestra.sim.indexer.Indexer;
import io.kestra.sim.role.Role;
import io.kestra.sim.scheduler.Scheduler;
import io.kestra.sim.service.ServiceRegistry;
import io.kestra.sim.service.ServiceType;
import io.kestra.sim.worker.Worker;
import io.kestra.upgrade.common.ComponentKind;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The roles of a server kind, each registered as a service, in stop order: webserver first (its API
 * goes down at once), worker last (it drains).
 *
 * @param all the roles
 * @param worker the worker, if the server has one
 */
record Roles(List<Role> all, Optional<Worker> worker) {

  /**
   * Creates and registers the roles of {@code kind}.
   *
   * @param workerThreads worker threads (a standalone with 0 has no worker)
   * @param api the bound API port of a webserver or standalone, else null
   */
  static Roles create(
      ComponentKind kind,
      int workerThreads,
      ServiceRegistry registry,
      ConnectionPool db,
      Settings settings,
      HttpServer api)
      throws SQLException {
    boolean standalone = kind == ComponentKind.STANDALONE;
    TaskDurations durations =
        new TaskDurations(
            settings.simulation().taskMinDuration(), settings.simulation().taskMaxDuration());
    ExecutionRepository executions = new ExecutionRepository(db);
    List<Role> roles = new ArrayList<>();
    Worker worker = null;
    if (standalone || kind == ComponentKind.WEBSERVER) {
      roles.add(
          new ApiServer(
              registry.register(ServiceType.WEBSERVER),
              api,
              executions,
              new StatsRepository(db),
              durations));
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
          new Executor(registry.register(ServiceType.EXECUTOR), db, settings.server().liveness()));
    }
    if (standalone || kind == ComponentKind.INDEXER) {
      roles.add(new Indexer(registry.register(ServiceType.INDEXER)));
    }
    if ((standalone && workerThreads > 0) || kind == ComponentKind.WORKER) {
      worker =
          new Worker(
              registry.register(ServiceType.WORKER),
              db,
              workerThreads,
              settings.server().terminationGracePeriod());
      roles.add(worker);
    }
    return new Roles(List.copyOf(roles), Optional.ofNullable(worker));
  }

  /** Whether a server of that kind serves the HTTP API. */
  static boolean servesApi(ComponentKind kind) {
    return kind == ComponentKind.STANDALONE || kind == ComponentKind.WEBSERVER;
  }
}
