package io.kestra.upgrade.sandbox.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {

  private final Backoff quick = Backoff.fixed(Duration.ofMillis(10));

  @Test
  void returnsOnceTheConditionHoldsWithoutAskingAgain() throws Exception {
    AtomicInteger asked = new AtomicInteger();

    Poll.until(
        "the third answer", Duration.ofSeconds(30), quick, () -> asked.incrementAndGet() == 3);

    assertThat(asked).hasValue(3);
  }

  @Test
  void conditionThatNeverHoldsTimesOutNamingWhatWasAwaited() {
    AtomicInteger asked = new AtomicInteger();

    assertThatThrownBy(
            () ->
                Poll.until(
                    "a part that never serves",
                    Duration.ofMillis(100),
                    quick,
                    () -> asked.incrementAndGet() < 0))
        .isInstanceOf(Poll.TimedOutException.class)
        .hasMessage("a part that never serves not ready after 100 ms");
    assertThat(asked.get()).isGreaterThan(1);
  }

  @Test
  void conditionIsAskedOnceEvenWithNoTimeLeft() throws Exception {
    AtomicInteger asked = new AtomicInteger();

    Poll.until("at once", Duration.ZERO, quick, () -> asked.incrementAndGet() == 1);

    assertThat(asked).hasValue(1);
  }

  @Test
  void interruptEndsTheWait() {
    Thread.currentThread().interrupt();

    assertThatThrownBy(() -> Poll.until("never", Duration.ofMinutes(1), quick, () -> false))
        .isInstanceOf(InterruptedException.class);
  }
}
