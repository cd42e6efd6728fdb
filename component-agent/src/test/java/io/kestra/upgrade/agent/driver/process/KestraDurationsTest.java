package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KestraDurationsTest {

  @Test
  void wholeSecondsAndMillisecondsAreWrittenAsMicronautReadsThem() {
    assertThat(KestraDurations.format(Duration.ofMinutes(5))).isEqualTo("300s");
    assertThat(KestraDurations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(KestraDurations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
