package io.kestra.sim.api;

import com.sun.net.httpserver.HttpServer;
import io.kestra.sim.config.BasicAuthSettings;
import io.kestra.sim.execution.ExecutionRepository;
import io.kestra.sim.execution.StatsRepository;
import io.kestra.sim.execution.TaskDurations;
import io.kestra.sim.maintenance.InstanceMaintenance;
import io.kestra.sim.role.Role;
import io.kestra.sim.service.LocalService;
import io.kestra.sim.service.ServiceState;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The webserver: Kestra's HTTP API (the part the simulator has) on {@code micronaut.server.port}.
 * The port is bound before start-up goes on (a taken port fails the start) but answers only once
 * the role starts, and stops answering as soon as shutdown begins.
 */
public final class ApiServer implements Role {

  private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());

  private final LocalService service;
  private final HttpServer http;

  /** A webserver serving on the already bound {@code http}. */
  public ApiServer(
      LocalService service,
      HttpServer http,
      ExecutionRepository executions,
      StatsRepository stats,
      TaskDurations durations,
      InstanceMaintenance maintenance,
      Optional<BasicAuthSettings> credentials) {
    this.service = service;
    this.http = http;
    http.createContext(ExecutionsHandler.PATH, new ExecutionsHandler(executions, durations));
    http.createContext(StatsHandler.PATH, new StatsHandler(stats));
    http.createContext(
        MaintenanceHandler.PATH,
        new MaintenanceHandler(maintenance, credentials, Clock.systemUTC()));
  }

  @Override
  public LocalService service() {
    return service;
  }

  @Override
  public void start() {
    http.start();
    LOG.info(() -> "Webserver API listening on port " + http.getAddress().getPort());
  }

  @Override
  public ServiceState stop() {
    http.stop(0);
    LOG.info("Webserver API stopped");
    return ServiceState.TERMINATED_GRACEFULLY;
  }
}
