package io.kestra.sim.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LineFormatterTest {

  @Test
  void oneLineWithTimestampLevelThreadLoggerAndMessage() {
    LogRecord r = new LogRecord(Level.WARNING, "Forcing shutdown now");
    r.setLoggerName("io.kestra.sim.worker.Worker");

    String line = new LineFormatter().format(r);

    assertThat(line)
        .matches(
            "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} WARN  \\S.{11} Worker       Forcing"
                + " shutdown now\\R");
  }

  @Test
  void levelsAreNamedAsLogbackNamesThem() {
    assertThat(LineFormatter.level(Level.SEVERE)).isEqualTo("ERROR");
    assertThat(LineFormatter.level(Level.WARNING)).isEqualTo("WARN");
    assertThat(LineFormatter.level(Level.INFO)).isEqualTo("INFO");
    assertThat(LineFormatter.level(Level.FINE)).isEqualTo("DEBUG");
    assertThat(LineFormatter.level(Level.FINEST)).isEqualTo("TRACE");
  }
}
