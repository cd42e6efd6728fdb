package io.kestra.upgrade.agent.driver.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The file that receives the server's stdout and stderr (appended across runs). Positions in it
 * delimit one run or one stop, so that a start failure shows that run's lines only.
 */
final class ServerLog {

  /** How far back from the end {@link #tail} looks. */
  private static final int TAIL_WINDOW = 64 * 1024;

  /** How much of a tail goes into an ack's message. */
  static final int MAX_TAIL_CHARS = 4_000;

  private final Path file;

  ServerLog(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** Current length, the position where the next line will be written. */
  long size() {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The last {@code maxLines} lines written since {@code from}, at most {@link #MAX_TAIL_CHARS}.
   */
  String tail(long from, int maxLines) {
    return lastLines(read(Math.max(from, size() - TAIL_WINDOW)), maxLines);
  }

  /** What was written since {@code from}, at most the last {@link #TAIL_WINDOW} bytes of it. */
  String recentSince(long from) {
    return read(Math.max(from, size() - TAIL_WINDOW));
  }

  /** Whether any of {@code texts} was written since {@code from}. */
  boolean containsAnySince(long from, List<String> texts) {
    return texts.stream().anyMatch(text -> containsSince(from, text));
  }

  /** Whether {@code text} was written since {@code from}. */
  boolean containsSince(long from, String text) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      long position = Math.min(from, length);
      byte[] buffer = new byte[64 * 1024];
      String carry = "";
      while (position < length) {
        in.seek(position);
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, length - position));
        if (read <= 0) {
          break;
        }
        position += read;
        String chunk = carry + new String(buffer, 0, read, StandardCharsets.UTF_8);
        if (chunk.contains(text)) {
          return true;
        }
        // keep the end of the chunk: the text may straddle two reads
        carry = chunk.substring(Math.max(0, chunk.length() - text.length()));
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private String read(long from) {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (from >= length) {
        return "";
      }
      byte[] bytes = new byte[(int) (length - from)];
      in.seek(from);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last {@code maxLines} lines of {@code text}, cut to {@link #MAX_TAIL_CHARS}. */
  static String lastLines(String text, int maxLines) {
    List<String> lines = Arrays.asList(text.strip().split("\n"));
    String tail =
        String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
    return tail.length() > MAX_TAIL_CHARS
        ? "…" + tail.substring(tail.length() - MAX_TAIL_CHARS)
        : tail;
  }
}
