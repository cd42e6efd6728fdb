package io.kestra.upgrade.agent.testing;

import io.kestra.sim.Install;
import io.kestra.upgrade.testsupport.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The stand-in Kestra install ({@code kestra-sim}) as the process driver's tests use it. */
public final class Sims {

  /** The versions installed: one per release line of the stand-in's catalog. */
  public static final List<String> VERSIONS = List.of("0.21.4", "0.22.1", "1.0.0", "2.0.0");

  private static final String MAIN = "io.kestra.sim.KestraSim";

  static {
    // a safety net for a test that dies before its clean-up: no stand-in outlives the test JVM
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> running().forEach(ProcessHandle::destroyForcibly)));
  }

  private Sims() {}

  /**
   * Writes {@code kestra-<version>} launchers into {@code installDir}, running this JVM's
   * classpath.
   */
  public static Path install(Path installDir) {
    Install.write(installDir, VERSIONS, classpath());
    return installDir;
  }

  private static String classpath() {
    // under surefire/failsafe java.class.path may be a manifest-only jar; this one is complete
    String testClasspath = System.getProperty("surefire.test.class.path");
    return testClasspath != null ? testClasspath : System.getProperty("java.class.path");
  }

  /** A TCP port free right now on this host. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a Kestra configuration file (YAML) for a server on {@code db}; {@code extra} are
   * flattened keys such as {@code kestra.sim.task.min-duration}. It sets no port: the process
   * driver gives the server its API port ({@code --port}) and the management port it probes ({@code
   * -Dendpoints.all.port}), as it must on a host running several servers.
   */
  public static Path configFile(Path file, TestPostgres.Database db, Map<String, String> extra) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("datasources.postgres.url: \"").append(db.jdbcUrl()).append("\"\n");
    yaml.append("datasources.postgres.username: \"").append(db.user()).append("\"\n");
    yaml.append("datasources.postgres.password: \"").append(db.password()).append("\"\n");
    yaml.append("kestra.sim.startup-delay: 300ms\n");
    extra.forEach((k, v) -> yaml.append(k).append(": \"").append(v).append("\"\n"));
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stand-in servers this JVM started (directly or through agents), alive. */
  public static List<ProcessHandle> running() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> commandLine(p).contains(MAIN))
        .toList();
  }

  /** The whole command line (the JDK's own view of it stops at about 4 KB). */
  public static String commandLine(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
          .replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  /** Kills every stand-in server this JVM started and waits until they are gone (test clean-up). */
  public static void killAll() {
    List<ProcessHandle> sims = running();
    sims.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle sim : sims) {
      try {
        sim.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("stand-in server " + sim.pid() + " did not die", e);
      }
    }
  }

  /** A short timeout for awaiting sims on this small machine. */
  public static Duration patience() {
    return Duration.ofSeconds(30);
  }
}
