package io.kestra.upgrade.sandbox.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A command run once to its end, before a part starts: Kafka's storage format, Kestra's schema. */
final class Tool {

  private Tool() {}

  /**
   * Runs {@code command}, its output appended to {@code log}.
   *
   * @throws StartFailedException when it exits with another status than 0
   */
  static void run(List<String> command, Path log) throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    int status = p.waitFor();
    if (status != 0) {
      throw new StartFailedException(
          String.join(" ", command) + " exited with " + status + "; see " + log);
    }
  }
}
