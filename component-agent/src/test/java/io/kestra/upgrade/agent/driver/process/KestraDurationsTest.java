package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KestraDurationsTest {

  @Test
  void wholeSecondsAndMillisecondsAreWrittenAsMicronautReadsThem() {
    assertThat(KestraDurations.format(Duration.ofMinutes(5))).isEqualTo("300s");
    assertThat(KestraDurations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(KestraDurations.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void everyFormMicronautReadsIsRead() {
    assertThat(KestraDurations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(KestraDurations.parse(" 30s ")).isEqualTo(Duration.ofSeconds(30));
    assertThat(KestraDurations.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(KestraDurations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(KestraDurations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(KestraDurations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(KestraDurations.parse("pt90s")).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> KestraDurations.parse("five minutes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'five minutes' is not a duration");
  }
}
