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
import java.util.List;
import java.util.Map;
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

  /**
   * @param outputDir where each run's output file goes
   * @param pollInterval how often a progress line is reported while it runs
   */
  ToolRunner(Path outputDir, Clock clock, Duration pollInterval) {
    this.outputDir = outputDir;
    this.clock = clock;
    this.pollInterval = pollInterval;
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
    Process process = ZombieReaper.start(builder);
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
      throw e;
    }
    return new ToolResult(timedOut ? -1 : process.exitValue(), timedOut, read(output), output);
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
