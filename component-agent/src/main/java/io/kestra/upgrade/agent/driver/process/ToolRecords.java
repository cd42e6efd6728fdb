package io.kestra.upgrade.agent.driver.process;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The helper commands ({@code pg_dump}, a migration) {@link ToolRunner} has running, one small file
 * each, written before the tool starts, completed with its pid once it has started, and deleted
 * once it has ended. A file still there when an agent starts is a tool its predecessor started and
 * never saw end: the agent was killed, and the tool, no child of the new agent, may still run. The
 * new agent finds it by pid and start time (a pid reused since is another process), or, when the
 * agent was killed between starting it and writing its pid, by its standard output, which only that
 * tool writes to; so it neither runs the tool a second time nor forgets it.
 */
final class ToolRecords {

  private static final Logger LOG = LoggerFactory.getLogger(ToolRecords.class);

  /**
   * One tool started and not seen to end.
   *
   * @param file its record
   * @param name its short name, e.g. {@code pg_dump}
   * @param pid its process id; 0 when the agent was killed before it could write it
   * @param started when its process started, as the system says; {@code null} if it did not say
   * @param deadline when its time-out ends: the agent that started it would have killed it then
   * @param command its command line
   * @param output where its output goes
   */
  record Entry(
      Path file,
      String name,
      long pid,
      Instant started,
      Instant deadline,
      String command,
      Path output) {

    /** Its process, if it still runs (not a zombie, and not another process on a reused pid). */
    Optional<ProcessHandle> process() {
      if (pid == 0) {
        return writingTo(output);
      }
      return Pids.live(pid)
          .filter(
              h ->
                  started == null
                      || h.info()
                          .startInstant()
                          .map(s -> Math.abs(s.toEpochMilli() - started.toEpochMilli()) < 1_000)
                          .orElse(true));
    }
  }

  /** The live process whose standard output is {@code file}, if any (read from {@code /proc}). */
  static Optional<ProcessHandle> writingTo(Path file) {
    return ProcessHandle.allProcesses()
        .filter(p -> stdout(p.pid()).map(file::equals).orElse(false))
        .filter(Pids::isAlive)
        .findFirst();
  }

  private static Optional<Path> stdout(long pid) {
    try {
      return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "1")));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // gone, another user's, or no /proc: not the tool this agent's predecessor started
      return Optional.empty();
    }
  }

  private final Path dir;

  ToolRecords(Path dir) {
    this.dir = dir;
  }

  /**
   * Records a tool about to start, writing to {@code output} (a file of its own); returns its
   * record, to complete with {@link #started} and {@link #remove} at its end.
   */
  Path begin(String name, Instant deadline, List<String> command, Path output) throws IOException {
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.setProperty("name", name);
    p.setProperty("pid", "0");
    p.setProperty("deadline", deadline.toString());
    p.setProperty("command", String.join(" ", command));
    p.setProperty("output", output.toString());
    String base = output.getFileName().toString();
    Path file = dir.resolve(base.substring(0, base.lastIndexOf('.') + 1) + "properties");
    write(file, p);
    return file;
  }

  /** Completes {@code record} with the pid and start time of the tool's process. */
  void started(Path record, ProcessHandle process) throws IOException {
    Properties p = load(record);
    p.setProperty("pid", Long.toString(process.pid()));
    process.info().startInstant().ifPresent(s -> p.setProperty("started", s.toString()));
    write(record, p);
  }

  private static void write(Path file, Properties p) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
      p.store(out, "started by the agent; deleted when it ends");
    }
    Files.move(
        partial,
        file,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static Properties load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return p;
  }

  /** Forgets a tool that has ended. */
  void remove(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot delete the tool record {}: {}", file, e.toString());
    }
  }

  /** Every tool recorded and not removed: after a start, those the agent's predecessor left. */
  List<Entry> all() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".properties")).sorted().toList()) {
        try {
          Properties p = load(file);
          String started = p.getProperty("started");
          entries.add(
              new Entry(
                  file,
                  p.getProperty("name"),
                  Long.parseLong(p.getProperty("pid")),
                  started == null ? null : Instant.parse(started),
                  Instant.parse(p.getProperty("deadline")),
                  p.getProperty("command"),
                  Path.of(p.getProperty("output"))));
        } catch (RuntimeException e) {
          // a record that cannot be read names nothing that could be waited for
          LOG.warn("unreadable tool record {} set aside: {}", file, e.toString());
          Files.move(file, file.resolveSibling(file.getFileName() + ".unreadable"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }
}
