package io.kestra.sim.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.sim.Install;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real simulated Kestra processes for one test: launchers written by {@link Install} in a temporary
 * install directory, a fresh PostgreSQL database, a YAML config file, a fault file. Every process
 * it started is killed on {@link #close()}.
 */
final class SimFleet implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  final TestPostgres.Database db;
  final Path dir;
  final Path config;
  final Path faults;
  private final List<SimProcess> processes = new ArrayList<>();

  SimFleet(Path dir) {
    this.dir = dir;
    this.db = TestPostgres.newDatabase("sim");
    this.config = dir.resolve("application.yml");
    this.faults = dir.resolve("faults.properties");
    Install.write(
        dir.resolve("install"), List.of("0.21.4", "0.22.1", "1.0.0", "2.0.0"), SimClasspath.get());
    write(
        config,
        String.join(
            "\n",
            "datasources:",
            "  postgres:",
            "    url: " + db.jdbcUrl(),
            "    username: " + db.user(),
            "    password: " + db.password(),
            "kestra:",
            // Kestra's 45 s would hold every eviction test back until the service is that old
            "  server:",
            "    liveness:",
            "      initialDelay: 0s",
            "  sim:",
            "    faults: " + faults,
            ""));
  }

  /** Overrides passed as {@code -Dkey=value} through JAVA_OPTS. */
  static Map<String, String> props(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /**
   * Starts {@code kestra-<version> <args> -c <config>} with its own ports.
   *
   * @param props system properties given through JAVA_OPTS
   */
  SimProcess start(String name, String version, Map<String, String> props, String... args) {
    return start(name, version, props, Map.of(), args);
  }

  /**
   * Starts {@code kestra-<version> <args> -c <config>} with its own ports (given as system
   * properties, so that the config file and the command line still win).
   *
   * @param props system properties given through JAVA_OPTS
   * @param env environment variables added to the process's
   */
  SimProcess start(
      String name,
      String version,
      Map<String, String> props,
      Map<String, String> env,
      String... args) {
    int management = freePort();
    int api = freePort();
    StringBuilder javaOpts = new StringBuilder();
    // readiness gating is not what most tests look at: keep their starts short (a -D, so that
    // a test's own -D, later on the line, wins)
    javaOpts.append("-Dkestra.sim.startup-delay=100ms");
    javaOpts.append(" -Dendpoints.all.port=").append(management);
    javaOpts.append(" -Dmicronaut.server.port=").append(api);
    props.forEach((k, v) -> javaOpts.append(" -D").append(k).append('=').append(v));
    List<String> command = new ArrayList<>();
    command.add(dir.resolve("install").resolve("kestra-" + version).toString());
    command.addAll(List.of(args));
    command.add("-c");
    command.add(config.toString());
    Path log = dir.resolve(name + "-" + processes.size() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_OPTS", javaOpts.toString());
    pb.environment().putAll(env);
    // the launcher runs "java": make it the JDK running the tests
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    pb.environment().put("PATH", javaBin + File.pathSeparator + System.getenv("PATH"));
    try {
      SimProcess p = new SimProcess(name, pb.start(), log, management, api);
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code sys database migrate} to its end. */
  SimProcess migrate(String version) {
    SimProcess p = start("migrate-" + version, version, Map.of(), "sys", "database", "migrate");
    p.awaitExit(Duration.ofSeconds(60));
    return p;
  }

  /** Waits for readiness UP; fails at once if the process dies. */
  static void awaitReady(SimProcess p) {
    await("readiness of " + p.name())
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!p.isAlive()) {
                throw new AssertionError(p.name() + " died before readiness:\n" + p.output());
              }
              return Http.status(p.managementPort, "/health/readiness") == 200;
            });
  }

  /** {@code GET /api/v1/sim/stats} of a webserver or standalone. */
  static JsonNode stats(SimProcess api) throws IOException {
    Http.Response r = Http.get(api.apiPort, "/api/v1/sim/stats");
    if (r.status() != 200) {
      throw new AssertionError("stats: " + r);
    }
    return r.json();
  }

  /** The value of the first column of the first row of a query. */
  String queryOne(String sql) throws SQLException {
    try (Connection c = jdbc();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  void execute(String sql) throws SQLException {
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  Connection jdbc() throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  /** Appends YAML lines to the config file (for the servers started next). */
  void configure(String... yamlLines) {
    try {
      Files.writeString(config, String.join("\n", yamlLines) + "\n", StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Replaces the fault file (read by the servers when each fault matters). */
  void faults(String properties) {
    write(faults, properties);
  }

  @Override
  public void close() {
    processes.forEach(SimProcess::kill);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
