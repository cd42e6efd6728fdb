package io.kestra.sim.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per event, laid out like Kestra's console pattern ({@code %d{ISO8601} %-5level
 * %-12.12thread %-12logger %msg}, with the logger's simple name untruncated): {@code 2025-01-31
 * 10:00:00,123 INFO main Worker Started}.
 */
public final class LineFormatter extends Formatter {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneId.systemDefault());

  @Override
  public String format(LogRecord r) {
    StringBuilder line = new StringBuilder(160);
    line.append(TIME.format(r.getInstant())).append(' ');
    line.append(pad(level(r.getLevel()), 5)).append(' ');
    line.append(pad(cut(threadName(r), 12), 12)).append(' ');
    line.append(pad(simpleName(r.getLoggerName()), 12)).append(' ');
    line.append(formatMessage(r)).append(System.lineSeparator());
    if (r.getThrown() != null) {
      StringWriter trace = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(trace));
      line.append(trace);
    }
    return line.toString();
  }

  static String level(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARN";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
  }

  private static String threadName(LogRecord r) {
    // JUL formats in the logging thread, so the current thread is the one that logged
    Thread t = Thread.currentThread();
    return t.getId() == r.getLongThreadID() ? t.getName() : "thread-" + r.getLongThreadID();
  }

  private static String simpleName(String logger) {
    if (logger == null) {
      return "root";
    }
    int dot = logger.lastIndexOf('.');
    return dot < 0 ? logger : logger.substring(dot + 1);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(s.length() - max);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
