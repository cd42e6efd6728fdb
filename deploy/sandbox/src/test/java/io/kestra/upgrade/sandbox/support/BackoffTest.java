package io.kestra.upgrade.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void pausesGrowByTheFactorUpToTheMaximum() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(350), 2);

    Duration first = b.next(Duration.ZERO);
    Duration second = b.next(first);
    Duration third = b.next(second);
    Duration fourth = b.next(third);

    assertThat(first).isEqualTo(Duration.ofMillis(100));
    assertThat(second).isEqualTo(Duration.ofMillis(200));
    assertThat(third).isEqualTo(Duration.ofMillis(350));
    assertThat(fourth).isEqualTo(Duration.ofMillis(350));
  }

  @Test
  void fixedBackoffPausesAlikeEveryTime() {
    Backoff b = Backoff.fixed(Duration.ofMillis(200));

    assertThat(b.next(Duration.ZERO)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.next(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void backoffThatWouldShrinkOrNeverPauseIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
