package io.kestra.sim.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A simulated Kestra process started through its launcher. Its merged stdout and stderr go to a log
 * file (a pipe read by a thread loses the last lines when the process exits), which the tests read.
 */
final class SimProcess {

  private final String name;
  private final Process process;
  private final Path log;
  final int managementPort;
  final int apiPort;

  SimProcess(String name, Process process, Path log, int managementPort, int apiPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.managementPort = managementPort;
    this.apiPort = apiPort;
  }

  String name() {
    return name;
  }

  /** Everything printed so far. */
  String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean printed(String text) {
    return output().contains(text);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM (Process.destroy on Unix), what Kubernetes or systemd sends. */
  void sigterm() {
    process.destroy();
  }

  /** SIGKILL. */
  void sigkill() {
    process.destroyForcibly();
  }

  /** Waits for the exit; returns the exit code. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name, e);
    }
  }

  /** Kills the process if it still runs and waits for it (test clean-up). */
  void kill() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
