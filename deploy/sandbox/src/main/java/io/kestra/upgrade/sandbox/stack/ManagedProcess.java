package io.kestra.upgrade.sandbox.stack;

import io.kestra.upgrade.sandbox.support.Pids;
import io.kestra.upgrade.sandbox.support.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  /** The {@code java} of the running JVM: every part runs on the same Java. */
  public static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The running process, if its pid file names a live one. */
  public Optional<ProcessHandle> handle() {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
      return ProcessHandle.of(pid).filter(Pids::isAlive);
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
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(env);
    Process process = pb.start();
    Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.UTF_8);
    return process.toHandle();
  }

  /**
   * Kills the process at once (SIGKILL), as a crash would, and waits until it is gone (a zombie
   * counts as gone). Its pid file stays: {@code up} sees a dead pid and starts it again.
   *
   * @return whether a running process was killed
   */
  public boolean kill() {
    Optional<ProcessHandle> h = handle();
    h.ifPresent(
        p -> {
          p.destroyForcibly();
          awaitGone(p, Duration.ofSeconds(30));
        });
    return h.isPresent();
  }

  /** Stops the process: SIGTERM, then SIGKILL after {@code grace}. */
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
  public static void stopServersUnder(Path folder, Duration grace) {
    serversUnder(folder).forEach(h -> terminate(h, grace));
  }

  /** The stand-in Kestra servers alive whose command line names {@code folder}. */
  public static List<ProcessHandle> serversUnder(Path folder) {
    String marker = folder.toString();
    return ProcessHandle.allProcesses()
        .filter(h -> h.pid() != ProcessHandle.current().pid())
        .filter(Pids::isAlive)
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains(marker) && c.contains("io.kestra.sim"))
                    .orElse(false))
        .toList();
  }

  /** SIGTERM, then SIGKILL if the process is still there after {@code grace}. */
  static void terminate(ProcessHandle h, Duration grace) {
    h.destroy();
    // onExit() of a process that is not this JVM's child completes only once it is reaped; a
    // zombie is dead for us
    if (!awaitGone(h, grace)) {
      h.destroyForcibly();
      awaitGone(h, Duration.ofSeconds(30));
    }
  }

  /** Whether {@code h} is gone (or a zombie) within {@code timeout}. */
  private static boolean awaitGone(ProcessHandle h, Duration timeout) {
    try {
      Poll.until("the end of process " + h.pid(), timeout, () -> !Pids.isAlive(h));
      return true;
    } catch (Poll.TimedOutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      h.destroyForcibly();
      return false;
    }
  }
}
