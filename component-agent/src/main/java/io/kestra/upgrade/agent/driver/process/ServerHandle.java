package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.common.ComponentKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The server's OS process: one this agent launched (its exit code is known) or one adopted from an
 * earlier run of the agent (only its pid is).
 */
final class ServerHandle {

  private static final long POLL_MS = 100;
  private static final Duration REAP_WAIT = Duration.ofSeconds(2);

  private final ProcessHandle handle;
  private final Process process;

  private ServerHandle(ProcessHandle handle, Process process) {
    this.handle = handle;
    this.process = process;
  }

  /** A process this agent has just launched. */
  static ServerHandle launched(Process process) {
    return new ServerHandle(process.toHandle(), process);
  }

  /**
   * The process of {@code record}, if it is still that process: alive (not a zombie), started at
   * the recorded time (a pid reused by another process has another start time), a {@code java}
   * whose command line runs {@code server <kind>}.
   */
  static Optional<ServerHandle> adopt(ServerRecord record, ComponentKind kind) {
    // a zombie is a server that has ended, however the JDK sees it
    Optional<ProcessHandle> found = Pids.live(record.pid());
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ProcessHandle.Info info = found.get().info();
    Optional<Instant> start = info.startInstant();
    if (record.processStart() != null
        && start.isPresent()
        && !start.get().equals(record.processStart())) {
      return Optional.empty();
    }
    boolean java = info.command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false);
    List<String> arguments = arguments(found.get());
    int server = arguments.indexOf("server");
    boolean serverOfKind =
        server >= 0
            && server + 1 < arguments.size()
            && arguments.get(server + 1).equals(kind.wireName());
    return java && serverOfKind
        ? Optional.of(new ServerHandle(found.get(), null))
        : Optional.empty();
  }

  /**
   * The process's command line, whole: on Linux from {@code /proc/<pid>/cmdline}, because the JDK
   * cuts what it reports at about 4 KB and a server's classpath or JAVA_OPTS can be longer.
   */
  static List<String> arguments(ProcessHandle process) {
    Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      if (Files.isReadable(cmdline)) {
        String raw = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
        return Arrays.asList(raw.split("\0"));
      }
    } catch (IOException e) {
      // gone meanwhile, or not ours to read: fall back on what the JDK says
    }
    return process.info().arguments().map(Arrays::asList).orElse(List.of());
  }

  long pid() {
    return handle.pid();
  }

  /** The OS's start time of the process, when it tells. */
  Optional<Instant> startInstant() {
    return handle.info().startInstant();
  }

  /** Whether the process runs: a zombie (killed, not yet reaped by its parent) does not. */
  boolean isAlive() {
    return Pids.isAlive(handle);
  }

  /** The exit code, once exited, for a process this agent launched; empty otherwise. */
  OptionalInt exitCode() {
    if (process == null) {
      return OptionalInt.empty();
    }
    if (process.isAlive() && !Pids.isAlive(handle)) {
      // a zombie: ended, but the JDK's reaper has not collected its status yet (it does within
      // milliseconds); wait for it briefly rather than report an ended server without its code
      awaitReaping();
    }
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  private void awaitReaping() {
    try {
      process.waitFor(REAP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks for a graceful stop: SIGTERM. */
  void terminate() {
    handle.destroy();
  }

  /** SIGKILL, to the process and anything it started. */
  void kill() {
    handle.descendants().forEach(ProcessHandle::destroyForcibly);
    handle.destroyForcibly();
  }

  /**
   * Waits up to {@code timeout} for the process to end.
   *
   * @return whether it has ended
   */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    if (process != null) {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    // not our child: the OS tells only whether it still exists; a zombie has ended
    long deadline = System.nanoTime() + timeout.toNanos();
    while (Pids.isAlive(handle)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      Thread.sleep(Math.min(POLL_MS, Math.max(1, left / 1_000_000)));
    }
    return true;
  }
}
