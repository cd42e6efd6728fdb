package io.kestra.sim.management;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The gauges of {@code /prometheus}: {@code kestra_worker_running_count} (task runs running on this
 * server: 0 on servers without a worker), {@code kestra_worker_job_thread} (Kestra's {@code
 * worker.job.thread}), {@code kestra_sim_ready} and {@code kestra_sim_info{version,server_type}}.
 */
public final class Metrics {

  private final String version;
  private final String serverType;
  private final IntSupplier running;
  private final int threads;
  private final BooleanSupplier ready;

  /**
   * Gauges of one server.
   *
   * @param serverType the command-line kind ({@code worker}, {@code standalone}, ...)
   * @param running task runs running now
   * @param threads worker threads (0 without a worker)
   */
  public Metrics(
      String version, String serverType, IntSupplier running, int threads, BooleanSupplier ready) {
    this.version = version;
    this.serverType = serverType;
    this.running = running;
    this.threads = threads;
    this.ready = ready;
  }

  /** The Prometheus text. */
  public String render() {
    StringBuilder sb = new StringBuilder(512);
    gauge(
        sb, "kestra_worker_running_count", "Task runs running on this worker", running.getAsInt());
    gauge(sb, "kestra_worker_job_thread", "The number of worker threads", threads);
    gauge(sb, "kestra_sim_ready", "1 when readiness is UP", ready.getAsBoolean() ? 1 : 0);
    sb.append("# HELP kestra_sim_info Version and type of this simulated Kestra server\n");
    sb.append("# TYPE kestra_sim_info gauge\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "kestra_sim_info{version=\"%s\",server_type=\"%s\"} 1.0%n",
            version,
            serverType));
    return sb.toString();
  }

  private static void gauge(StringBuilder sb, String name, String help, double value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" gauge\n");
    sb.append(name).append(' ').append(String.format(Locale.ROOT, "%.1f", value)).append('\n');
  }
}
