package io.kestra.sim.management;

import com.sun.net.httpserver.HttpServer;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The management port every server opens ({@code endpoints.all.port}): {@code /health}, {@code
 * /health/liveness}, {@code /health/readiness}, {@code /prometheus}. It serves from early in
 * start-up (liveness UP, readiness DOWN) until the process exits, shutdown included.
 */
public final class ManagementServer {

  private static final Logger LOG = Logger.getLogger(ManagementServer.class.getName());

  private final HttpServer http;

  /**
   * Serves on the already bound {@code http}.
   *
   * @param healthy whether the server's dependencies answer (the database), for {@code /health}
   */
  public ManagementServer(
      HttpServer http, Readiness readiness, BooleanSupplier healthy, Metrics metrics) {
    this.http = http;
    // /health aggregates like Micronaut's: everything, dependencies included (do not gate on it)
    http.createContext(
        "/health", new HealthHandler(() -> readiness.isReady() && healthy.getAsBoolean()));
    http.createContext("/health/liveness", new HealthHandler(() -> true));
    http.createContext("/health/readiness", new HealthHandler(readiness::isReady));
    http.createContext("/prometheus", new MetricsHandler(metrics::render));
  }

  /** Starts serving. */
  public void start() {
    http.start();
    LOG.fine(() -> "Management server on port " + http.getAddress().getPort());
  }
}
