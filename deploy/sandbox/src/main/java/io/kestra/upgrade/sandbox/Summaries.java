package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.sandbox.support.Http;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --summary FILE}: a summary (or several, in one object) as indented JSON. */
final class Summaries {

  private Summaries() {}

  /** Writes {@code summary} to {@code file}, when a file was asked for, and says so. */
  static void write(Path file, Object summary, PrintStream out) throws IOException {
    if (file == null) {
      return;
    }
    Files.writeString(
        file, Http.json().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    out.println("summary written to " + file.toAbsolutePath());
  }
}
