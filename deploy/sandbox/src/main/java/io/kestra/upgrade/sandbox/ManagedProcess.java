package io.kestra.upgrade.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One OS process of the sandbox, known by a pid file so that {@code status} and {@code down} find
 * it from another invocation. Started with every argument separate (no shell), output appended to
 * its own log file.
 *
 * @param name the part's name, e.g. {@code kafka}
 * @param pidFile where its pid is kept
 * @param logFile where its output goes
 */
public record ManagedProcess(String name, Path pidFile, Path logFile) {

  /** The process of {@code name} in {@code layout}. */
  public static ManagedProcess of(Layout layout, String name) {
    return new ManagedProcess(
        name, layout.pids().resolve(name + ".pid"), layout.logs().resolve(name + ".log"));
  }

  /** The running process, if its pid file names a live one. */
  public Optional<ProcessHandle> handle() {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public boolean isRunning() {
    return handle().isPresent();
  }

  /** Starts the command and records its pid. */
  public ProcessHandle start(List<String> command, Map<String, String> env, Path workDir)
      throws IOException {
    Files.createDirectories(pidFile.getParent());
    Files.createDirectories(logFile.getParent());
    Files.createDirectories(workDir);
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    Process process = pb.start();
    Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.UTF_8);
    return process.toHandle();
  }

  /**
   * Stops the process: SIGTERM, then SIGKILL after {@code grace}. Its descendants (a server an
   * agent started, say) are stopped likewise, children first.
   */
  public void stop(Duration grace) {
    handle().ifPresent(h -> terminate(h, grace));
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      // a stale pid file is harmless: handle() checks that the pid is alive
    }
  }

  /**
   * Stops every stand-in Kestra server whose command line names {@code folder} (its config file or
   * launcher lies there). Servers outlive their agents by design (an agent adopts its server when
   * it restarts), so they are found this way rather than as children.
   */
  public static void stopServersUnder(java.nio.file.Path folder, Duration grace) {
    String marker = folder.toString();
    ProcessHandle.allProcesses()
        .filter(h -> h.pid() != ProcessHandle.current().pid())
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains(marker) && c.contains("io.kestra.sim"))
                    .orElse(false))
        .forEach(h -> terminate(h, grace));
  }

  static void terminate(ProcessHandle h, Duration grace) {
    h.destroy();
    Instant deadline = Instant.now().plus(grace);
    while (h.isAlive() && Instant.now().isBefore(deadline)) {
      sleep(100);
    }
    if (h.isAlive()) {
      h.destroyForcibly();
      h.onExit().join();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
