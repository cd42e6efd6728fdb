package io.kestra.sim.management;

import com.sun.net.httpserver.HttpServer;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The management port every server opens ({@code endpoints.all.port}), once its application context
 * has started (after the start-up migration), as Kestra's:
 *
 * <ul>
 *   <li>{@code /health}: every indicator ({@code service}, {@code jdbc}, {@code diskSpace}); it
 *       depends on the database, do not gate on it;
 *   <li>{@code /health/readiness}: {@code service}, UP once the server runs and is ready;
 *   <li>{@code /health/liveness}: UP while the process serves;
 *   <li>{@code /prometheus}: the metrics.
 * </ul>
 *
 * It serves until the process exits, shutdown included.
 */
public final class ManagementServer {

  private static final Logger LOG = Logger.getLogger(ManagementServer.class.getName());

  private final HttpServer http;

  /**
   * Serves on the already bound {@code http}.
   *
   * @param databaseReachable whether the database answers, for {@code /health}
   */
  public ManagementServer(
      HttpServer http, Readiness readiness, BooleanSupplier databaseReachable, Metrics metrics) {
    this.http = http;
    HealthIndicator service = Indicators.service(readiness::isReady);
    http.createContext(
        "/health",
        new HealthHandler(
            List.of(service, Indicators.jdbc(databaseReachable), Indicators.diskSpace())));
    http.createContext("/health/liveness", new HealthHandler(List.of()));
    http.createContext("/health/readiness", new HealthHandler(List.of(service)));
    http.createContext("/prometheus", new MetricsHandler(metrics::render));
  }

  /** Starts serving. */
  public void start() {
    http.start();
    LOG.fine(() -> "Management server on port " + http.getAddress().getPort());
  }
}
