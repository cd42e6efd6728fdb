package io.kestra.upgrade.agent.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.messaging.Position;
import io.kestra.upgrade.messaging.RecordLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's only memory of the commands it handled: an append-only file of JSON lines in the
 * state directory, each line forced to disk before the caller goes on, so that it survives a crash
 * of the agent at any point.
 *
 * <ul>
 *   <li>RECEIVED is written before a command is executed: found again without a FINAL, it means the
 *       agent died (or was closed) mid-command, and the command must not run again.
 *   <li>FINAL is written before the final ack is published, with that ack: a redelivered command is
 *       answered with it again (same messageId) and nothing runs.
 *   <li>POSITION is where the agent stands in its commands partition (the agent is in no consumer
 *       group: see {@code RecordLoop}); the last one counts, and a compaction keeps it.
 * </ul>
 *
 * <p>The file is rewritten without its oldest finished commands once it holds about twice {@code
 * retained} commands (it keeps the newest {@code retained}). Forgetting old commands is safe
 * because they have long expired: a redelivered expired command is rejected, never run.
 */
final class CommandJournal implements RecordLoop.PositionStore, AutoCloseable {

  /** The journal's file name inside the state directory. */
  public static final String FILE_NAME = "command-journal.jsonl";

  /** Commands kept by a compaction; far more than can be redelivered before they expire. */
  public static final int DEFAULT_RETAINED = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(CommandJournal.class);

  /**
   * What the journal knows of one command.
   *
   * @param commandId the command
   * @param type its type, when its RECEIVED record was written
   * @param receivedAt when it was received; {@code null} for a command answered without being run
   *     (a rejection)
   * @param finalAck the final ack published, or {@code null} while it has none
   */
  public record Entry(String commandId, CommandType type, Instant receivedAt, Ack finalAck) {

    /** Whether the command has its final ack. */
    public boolean isFinished() {
      return finalAck != null;
    }
  }

  private final Path file;
  private final ObjectMapper mapper;
  private final int retained;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private Position position;
  private FileChannel channel;
  private int linesInFile;

  private CommandJournal(Path file, ObjectMapper mapper, int retained) {
    this.file = file;
    this.mapper = mapper;
    this.retained = retained;
  }

  /** Opens (or creates) the journal of {@code stateDir}, keeping {@link #DEFAULT_RETAINED}. */
  public static CommandJournal open(Path stateDir, JsonCodec codec) {
    return open(stateDir, codec, DEFAULT_RETAINED);
  }

  /**
   * Opens (or creates) the journal of {@code stateDir}.
   *
   * @param retained how many of the newest commands a compaction keeps
   * @throws UncheckedIOException when the directory or file cannot be read or written
   */
  public static CommandJournal open(Path stateDir, JsonCodec codec, int retained) {
    if (retained < 1) {
      throw new IllegalArgumentException("retained must be at least 1");
    }
    CommandJournal journal =
        new CommandJournal(stateDir.resolve(FILE_NAME), codec.mapper(), retained);
    try {
      Files.createDirectories(stateDir);
      journal.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the command journal " + journal.file, e);
    }
    return journal;
  }

  /** What the journal knows of {@code commandId}. */
  public synchronized Optional<Entry> find(String commandId) {
    return Optional.ofNullable(entries.get(commandId));
  }

  /** Records that {@code commandId} is about to be executed; on disk when this returns. */
  public synchronized void recordReceived(String commandId, CommandType type, Instant at) {
    append(JournalRecord.received(commandId, type, at));
    entries.putIfAbsent(commandId, new Entry(commandId, type, at, null));
  }

  /** Records the final ack of its command; on disk when this returns. */
  public synchronized void recordFinal(Ack ack) {
    append(JournalRecord.finalAck(ack));
    Entry before = entries.remove(ack.commandId());
    entries.put(
        ack.commandId(),
        before == null
            ? new Entry(ack.commandId(), null, null, ack)
            : new Entry(before.commandId(), before.type(), before.receivedAt(), ack));
    if (linesInFile > compactionThreshold()) {
      compact();
    }
  }

  /** The position last recorded, if any. */
  @Override
  public synchronized Optional<Position> loadPosition() {
    return Optional.ofNullable(position);
  }

  /** Records where the agent stands in its commands partition; on disk when this returns. */
  @Override
  public synchronized void savePosition(Position position) {
    append(JournalRecord.position(position));
    this.position = position;
    if (linesInFile > compactionThreshold()) {
      compact();
    }
  }

  /** Number of commands remembered. */
  public synchronized int size() {
    return entries.size();
  }

  @Override
  public synchronized void close() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.warn("closing the command journal {} failed", file, e);
      }
      channel = null;
    }
  }

  private void load() throws IOException {
    if (Files.exists(file)) {
      byte[] bytes = Files.readAllBytes(file);
      int end = lastNewline(bytes) + 1;
      if (end < bytes.length) {
        // a crash in the middle of an append leaves a torn last line: that record was never
        // confirmed to anyone, so it is dropped, and the next append starts on a clean line
        LOG.warn("dropping a torn last line of {} ({} bytes)", file, bytes.length - end);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
          c.truncate(end);
          c.force(true);
        }
      }
      String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
      int lineNumber = 0;
      for (String line : text.split("\n")) {
        lineNumber++;
        if (!line.isBlank()) {
          apply(line, lineNumber);
        }
      }
      linesInFile = lineNumber;
    }
    channel = openForAppend();
    if (linesInFile > compactionThreshold()) {
      compact();
    }
  }

  private void apply(String line, int lineNumber) {
    JournalRecord record;
    try {
      record = mapper.readValue(line, JournalRecord.class);
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("skipping unreadable line {} of {}: {}", lineNumber, file, e.getMessage());
      return;
    }
    if (record.kind() == JournalRecord.Kind.POSITION) {
      position = record.position();
      return;
    }
    Entry before = entries.get(record.commandId());
    switch (record.kind()) {
      case RECEIVED -> {
        if (before == null) {
          entries.put(
              record.commandId(), new Entry(record.commandId(), record.type(), record.at(), null));
        }
      }
      case FINAL -> {
        entries.remove(record.commandId());
        entries.put(
            record.commandId(),
            before == null
                ? new Entry(record.commandId(), null, null, record.ack())
                : new Entry(before.commandId(), before.type(), before.receivedAt(), record.ack()));
      }
      case POSITION -> throw new IllegalStateException("read above");
    }
  }

  private void append(JournalRecord record) {
    if (channel == null) {
      throw new IllegalStateException("the command journal " + file + " is closed");
    }
    try {
      write(channel, record);
      channel.force(false);
      linesInFile++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the command journal " + file, e);
    }
  }

  /**
   * Rewrites the file with the newest {@code retained} commands, plus every unfinished one, and the
   * last position: a new file, forced, then atomically moved over the old one, so a crash leaves
   * one or the other.
   */
  private void compact() {
    List<Entry> kept = new ArrayList<>();
    int finishedToDrop = Math.max(0, entries.size() - retained);
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (finishedToDrop > 0 && entry.isFinished()) {
        it.remove();
        finishedToDrop--;
      } else {
        kept.add(entry);
      }
    }
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      int lines = 0;
      try (FileChannel out =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        for (Entry entry : kept) {
          if (entry.receivedAt() != null) {
            write(out, JournalRecord.received(entry.commandId(), entry.type(), entry.receivedAt()));
            lines++;
          }
          if (entry.isFinished()) {
            write(out, JournalRecord.finalAck(entry.finalAck()));
            lines++;
          }
        }
        if (position != null) {
          write(out, JournalRecord.position(position));
          lines++;
        }
        out.force(true);
      }
      channel.close();
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      channel = openForAppend();
      linesInFile = lines;
      LOG.info("compacted the command journal {}: {} commands kept", file, kept.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compact the command journal " + file, e);
    }
  }

  /** About twice {@code retained} commands of two lines each: a compaction then halves the file. */
  private int compactionThreshold() {
    return 4 * retained;
  }

  private FileChannel openForAppend() throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private void write(FileChannel out, JournalRecord record) throws IOException {
    byte[] json = mapper.writeValueAsBytes(record);
    ByteBuffer buffer = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
