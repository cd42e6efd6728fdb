package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.Progress;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a short-lived helper command to its end: separate arguments (no shell), output kept in a
 * file of the state directory, killed when it outlives its time-out or when the agent is
 * interrupted.
 */
final class ToolRunner {

  private static final Logger LOG = LoggerFactory.getLogger(ToolRunner.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final int MAX_OUTPUT = 2 * 1024 * 1024;
  private static final Duration TERM_GRACE = Duration.ofSeconds(10);

  private final Path outputDir;
  private final Clock clock;
  private final Duration pollInterval;
  private final ToolRecords records;

  /**
   * @param outputDir where each run's output file goes
   * @param pollInterval how often a progress line is reported while it runs
   */
  ToolRunner(Path outputDir, Clock clock, Duration pollInterval) {
    this.outputDir = outputDir;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.records = new ToolRecords(outputDir.resolve("running"));
  }

  /**
   * Runs {@code command} in {@code workDir} with {@code env} added to the agent's environment.
   *
   * @param name a short name for the output file and logs, e.g. {@code migrate-1.0.0}
   * @param status what to report as progress while it runs
   * @throws IOException when it cannot be started
   * @throws InterruptedException when the agent closes meanwhile; the command is killed first
   */
  ToolResult run(
      String name,
      List<String> command,
      Map<String, String> env,
      Path workDir,
      Duration timeout,
      Progress progress,
      String status)
      throws IOException, InterruptedException {
    Files.createDirectories(outputDir);
    Instant started = clock.instant();
    Path output = outputDir.resolve(name + "-" + STAMP.format(started) + ".log");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.directory(workDir.toFile());
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(output.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    LOG.info("running {} (output in {})", command.get(0), output);
    // recorded before it starts: an agent killed in between leaves a record its successor can
    // match by the tool's output file, never a tool running unrecorded
    Path record = records.begin(name, started.plus(timeout), command, output);
    Process process;
    try {
      process = ZombieReaper.start(builder);
    } catch (IOException e) {
      records.remove(record);
      throw e;
    }
    try {
      records.started(record, process.toHandle());
    } catch (IOException e) {
      // a tool the next agent could not find must not run
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      records.remove(record);
      throw e;
    }
    boolean timedOut = false;
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!process.waitFor(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() >= deadline) {
          timedOut = true;
          LOG.warn("{} ran longer than {}: stopping it", name, timeout);
          stop(process);
          break;
        }
        progress.report(
            status + " (" + Duration.between(started, clock.instant()).toSeconds() + " s)");
      }
    } catch (InterruptedException e) {
      // never leave a helper running behind an agent that is going away
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      records.remove(record);
      throw e;
    }
    records.remove(record);
    return new ToolResult(timedOut ? -1 : process.exitValue(), timedOut, read(output), output);
  }

  /**
   * Settles the tools an earlier run of the agent started and never saw end (it was killed): each
   * one still running is waited for, reporting progress, and stopped when its time-out ends, as
   * that run would have stopped it; none is run again. Its exit status cannot be known (it is no
   * child of this agent), so the description says what was seen and where its output is.
   *
   * @return what was found, for the command's ack; empty when nothing was left behind
   */
  Optional<String> settleLeftBehind(Progress progress) throws InterruptedException {
    List<String> found = new ArrayList<>();
    for (ToolRecords.Entry tool : records.all()) {
      Optional<ProcessHandle> running = tool.process();
      String what =
          tool.name()
              + (tool.pid() == 0
                  ? " (started as the agent was killed, pid not recorded)"
                  : " (pid " + tool.pid() + ", started " + tool.started() + ")");
      if (running.isEmpty()) {
        found.add(what + " had ended before this agent started; output in " + tool.output());
      } else {
        LOG.warn(
            "{} left running by the agent's earlier run: waiting for it, not running it", what);
        ProcessHandle handle = running.get();
        boolean stopped = false;
        while (Pids.isAlive(handle)) {
          if (!clock.instant().isBefore(tool.deadline())) {
            LOG.warn("{} outlived its time-out ({}): stopping it", what, tool.deadline());
            stop(handle);
            stopped = true;
            break;
          }
          progress.report("waiting for " + what + ", left running by the agent's earlier run");
          Thread.sleep(pollInterval.toMillis());
        }
        found.add(
            what
                + " was left running by the agent's earlier run: found, not run again, "
                + (stopped
                    ? "stopped at its time-out " + tool.deadline()
                    : "waited for until it ended")
                + " at "
                + clock.instant()
                + "; its exit status is unknown to this agent; output in "
                + tool.output());
      }
      records.remove(tool.file());
    }
    return found.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", found));
  }

  private static void stop(ProcessHandle process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    long until = System.nanoTime() + TERM_GRACE.toNanos();
    while (Pids.isAlive(process) && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    if (Pids.isAlive(process)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static void stop(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(TERM_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(TERM_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The end of the output: what a failure's message and a success line need. */
  private static String read(Path file) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(0, in.length() - MAX_OUTPUT);
      byte[] bytes = new byte[(int) (in.length() - from)];
      in.seek(from);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
