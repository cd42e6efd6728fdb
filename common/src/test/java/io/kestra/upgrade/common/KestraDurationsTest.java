package io.kestra.upgrade.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KestraDurationsTest {

  @Test
  void everyFormMicronautReadsIsRead() {
    assertThat(KestraDurations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(KestraDurations.parse("pt30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(KestraDurations.parse("P1D")).isEqualTo(Duration.ofDays(1));
    assertThat(KestraDurations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(KestraDurations.parse(" 30s ")).isEqualTo(Duration.ofSeconds(30));
    assertThat(KestraDurations.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThat(KestraDurations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(KestraDurations.parse("3d")).isEqualTo(Duration.ofDays(3));
    assertThat(KestraDurations.parse("10ns")).isEqualTo(Duration.ofNanos(10));
  }

  @Test
  void anythingElseIsRefusedQuotingTheText() {
    for (String bad : new String[] {"5", "5 minutes", "1.5s", "PT", "-5s", "", "m"}) {
      assertThatThrownBy(() -> KestraDurations.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "' is not a duration");
    }
  }

  @Test
  void wholeSecondsAndMillisecondsAreWrittenAsMicronautReadsThem() {
    assertThat(KestraDurations.format(Duration.ofMinutes(5))).isEqualTo("300s");
    assertThat(KestraDurations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(KestraDurations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(KestraDurations.parse(KestraDurations.format(Duration.ofMillis(1500))))
        .isEqualTo(Duration.ofMillis(1500));
  }
}
