package io.kestra.upgrade.sandbox.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fault suite's figures: one row per fault injected by an end-to-end test (what, when, how the
 * upgrade ended, how long until it moved again, executions lost), written to {@code
 * deploy/sandbox/target/fault-report.md} as the tests run, so that a run of the suite leaves its
 * table. Figures, not assertions: the tests assert the outcomes; the times are measured here and
 * only reported.
 */
final class FaultReport {

  /**
   * One injected fault.
   *
   * @param family the family: poison, coordinator, agent, outage, security, growth
   * @param fault what was done, e.g. {@code SIGKILL coordinator}
   * @param injectedAt when in the upgrade: a phase, or a moment
   * @param outcome how the upgrade ended, e.g. {@code SUCCEEDED}
   * @param recovery from the injection until the upgrade moved again (its next transition after the
   *     fault was healed), or {@code null} when that does not apply
   * @param lost executions lost (the stand-in's count)
   * @param test the test that injected it
   */
  record Row(
      String family,
      String fault,
      String injectedAt,
      String outcome,
      Duration recovery,
      long lost,
      String test) {}

  private static final List<Row> ROWS = new ArrayList<>();

  private FaultReport() {}

  /** Adds a row and rewrites the report. */
  static synchronized void add(Row row) {
    ROWS.add(row);
    write(Path.of(System.getProperty("fault.report", "target/fault-report.md")));
  }

  private static void write(Path file) {
    StringBuilder md = new StringBuilder();
    md.append("# Fault suite: ")
        .append(Instant.now().toString(), 0, 19)
        .append("Z\n\n")
        .append("Each row is a fault injected into a real upgrade (coordinator and agents as")
        .append(" processes or cores, real Kafka and PostgreSQL, stand-in Kestra servers).\n")
        .append("Produced by `deploy/sandbox/fault-report` (the `*FaultIT` classes).\n\n")
        .append("| family | fault | injected at | outcome | time to recover | lost | test |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Row r : ROWS) {
      md.append("| ")
          .append(
              String.join(
                  " | ",
                  r.family(),
                  r.fault(),
                  r.injectedAt(),
                  r.outcome(),
                  r.recovery() == null ? "—" : seconds(r.recovery()),
                  Long.toString(r.lost()),
                  "`" + r.test() + "`"))
          .append(" |\n");
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fault report " + file, e);
    }
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
