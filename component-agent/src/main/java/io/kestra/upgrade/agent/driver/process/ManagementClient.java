package io.kestra.upgrade.agent.driver.process;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Kestra's management port, on this host: readiness ({@code /health/readiness}, never {@code
 * /health}, which depends on external systems) and the running task count ({@code /prometheus}).
 * Short time-outs: a probe must never hang the agent.
 */
public final class ManagementClient {

  /**
   * The metric the agent reads: the task runs running on a worker, Kestra's {@code
   * worker.running.count}.
   */
  public static final String RUNNING_COUNT = "kestra_worker_running_count";

  private static final Pattern UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");
  private static final int CONNECT_TIMEOUT_MS = 500;
  private static final int READ_TIMEOUT_MS = 2_000;
  private static final int MAX_BODY = 4 * 1024 * 1024;

  private final String base;

  ManagementClient(int port) {
    this("127.0.0.1", port);
  }

  /** The management port of a server reached at {@code host} (a container's name, for one). */
  public ManagementClient(String host, int port) {
    this.base = "http://" + host + ":" + port;
  }

  /** Whether readiness answers 200 with status UP; false when it cannot be reached. */
  public boolean ready() {
    return readiness().orElse(false);
  }

  /**
   * Whether readiness answers 200 with status UP, when the port answers at all; empty when it
   * cannot be reached (another source of readiness may then say).
   */
  public Optional<Boolean> readiness() {
    try {
      Response response = get("/health/readiness");
      return Optional.of(response.code() == 200 && UP.matcher(response.body()).find());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Task runs running on the server, or empty when the metric cannot be read. */
  public OptionalInt runningTasks() {
    try {
      Response response = get("/prometheus");
      if (response.code() != 200) {
        return OptionalInt.empty();
      }
      OptionalDouble sum = PrometheusText.sum(response.body(), RUNNING_COUNT);
      return sum.isPresent()
          ? OptionalInt.of((int) Math.round(sum.getAsDouble()))
          : OptionalInt.empty();
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }

  private record Response(int code, String body) {}

  private Response get(String path) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(base + path).toURL().openConnection();
    connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
    connection.setReadTimeout(READ_TIMEOUT_MS);
    connection.setUseCaches(false);
    try {
      int code = connection.getResponseCode();
      InputStream in = code < 400 ? connection.getInputStream() : connection.getErrorStream();
      if (in == null) {
        return new Response(code, "");
      }
      try (in) {
        return new Response(code, new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8));
      }
    } finally {
      connection.disconnect();
    }
  }
}
