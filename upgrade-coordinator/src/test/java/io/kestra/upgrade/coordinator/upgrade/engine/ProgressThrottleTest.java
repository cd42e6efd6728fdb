package io.kestra.upgrade.coordinator.upgrade.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.coordinator.config.TestConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision alone: when a PROGRESS ack is worth a {@code step.progress} event. */
class ProgressThrottleTest {

  private final ProgressThrottle throttle = new ProgressThrottle(Duration.ofSeconds(30));
  private final Instant t0 = Instant.parse("2026-11-25T10:00:00Z");

  /** A RUNNING step that has heard {@code inFlight} and {@code message} at {@code at}. */
  private static StepProgress heard(StepProgress p, Instant at, int inFlight, String message) {
    return p.heard(
        at,
        at.plusSeconds(30),
        new Observed("0.21.4", ComponentState.STOPPING, false, inFlight),
        message,
        at);
  }

  private StepProgress running() {
    return StepProgress.pending()
        .sent("00000000-0000-4000-8000-000000000001", t0, t0.plusSeconds(600), t0.plusSeconds(30));
  }

  @Test
  void theFirstProgressOfAStepIsPublished() {
    assertThat(throttle.isDue(heard(running(), t0, 3, "stopping"), t0)).isTrue();
  }

  @Test
  void theSameReportIsThrottledUntilTheIntervalHasPassed() {
    StepProgress published = heard(running(), t0, 3, "stopping").progressPublished(t0);

    Instant justBefore = t0.plusSeconds(30).minusMillis(1);
    assertThat(throttle.isDue(heard(published, justBefore, 3, "stopping"), justBefore)).isFalse();
    Instant onTheDot = t0.plusSeconds(30);
    assertThat(throttle.isDue(heard(published, onTheDot, 3, "stopping"), onTheDot)).isTrue();
  }

  @Test
  void aChangedInFlightCountIsPublishedAtOnce() {
    StepProgress published = heard(running(), t0, 3, "stopping").progressPublished(t0);

    Instant soon = t0.plusSeconds(2);
    assertThat(throttle.isDue(heard(published, soon, 2, "stopping"), soon)).isTrue();
  }

  @Test
  void aNewWordingIsPublishedAtOnceButCountedSecondsAreNoNews() {
    StepProgress published =
        heard(running(), t0, 3, "stopping: 3 task run(s) still running; SIGKILL in 58 s")
            .progressPublished(t0);
    Instant soon = t0.plusSeconds(2);

    assertThat(
            throttle.isDue(
                heard(published, soon, 3, "stopping: 3 task run(s) still running; SIGKILL in 56 s"),
                soon))
        .isFalse();
    assertThat(
            throttle.isDue(
                heard(published, soon, 3, "killing the server (SIGKILL): grace period is over"),
                soon))
        .isTrue();
  }

  @Test
  void anAckWithoutAMessageKeepsTheLastOneAndIsNoNews() {
    StepProgress published = heard(running(), t0, 3, "draining").progressPublished(t0);

    Instant soon = t0.plusSeconds(2);
    assertThat(throttle.isDue(heard(published, soon, 3, null), soon)).isFalse();
  }

  @Test
  void theIntervalMustBePositiveAndDefaultsToThatOfTheConfiguration() {
    assertThatThrownBy(() -> new ProgressThrottle(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
    assertThat(TestConfig.coordinator(Map.of()).progressEventInterval())
        .isEqualTo(ProgressThrottle.DEFAULT_INTERVAL);
  }
}
