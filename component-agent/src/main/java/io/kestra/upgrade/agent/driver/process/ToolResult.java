package io.kestra.upgrade.agent.driver.process;

import java.nio.file.Path;

/**
 * How a helper command (a migration, a dump, a restore) ended.
 *
 * @param exitCode its exit code; -1 when it was killed for running too long
 * @param timedOut whether it ran past its time-out and was killed
 * @param output its stdout and stderr (the last megabytes)
 * @param outputFile the file that keeps its whole output
 */
record ToolResult(int exitCode, boolean timedOut, String output, Path outputFile) {

  /** Whether it exited by itself with code 0. */
  boolean succeeded() {
    return !timedOut && exitCode == 0;
  }

  /** The last lines of its output, for an ack's message. */
  String tail() {
    return ServerLog.lastLines(output, 25);
  }
}
