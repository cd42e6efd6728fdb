package io.kestra.sim.log;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Writes INFO and below to stdout, WARN and ERROR to stderr (as Kestra's logback configuration
 * does), flushing each line so that a process supervisor sees it at once.
 */
final class ConsoleHandler extends Handler {

  private final PrintStream out;
  private final PrintStream err;

  ConsoleHandler(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
    setFormatter(new LineFormatter());
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    PrintStream target = record.getLevel().intValue() >= Level.WARNING.intValue() ? err : out;
    target.print(getFormatter().format(record));
    target.flush();
  }

  @Override
  public void flush() {
    out.flush();
    err.flush();
  }

  @Override
  public void close() {
    flush();
  }
}
