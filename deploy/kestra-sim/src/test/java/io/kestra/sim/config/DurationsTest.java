package io.kestra.sim.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void acceptsIsoAndMicronautStyles() {
    assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("pt30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("P1D")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse(" 2h ")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("3d")).isEqualTo(Duration.ofDays(3));
    assertThat(Durations.parse("10ns")).isEqualTo(Duration.ofNanos(10));
  }

  @Test
  void refusesAnythingElseQuotingTheText() {
    for (String bad : new String[] {"5", "5 minutes", "1.5s", "PT", "-5s", "", "m"}) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "' is not a duration");
    }
  }
}
