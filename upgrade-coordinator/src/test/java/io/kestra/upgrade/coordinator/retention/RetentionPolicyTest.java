package io.kestra.upgrade.coordinator.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.coordinator.config.TestConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

  private final Instant now = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void defaultsKeepTheMessageLogAndProgressEventsAWeekAndSentOutboxRowsAnHour() {
    RetentionPolicy policy = new RetentionPolicy(TestConfig.coordinator(Map.of()));

    assertThat(policy.messageLogCutoff(now)).isEqualTo(now.minus(Duration.ofDays(7)));
    assertThat(policy.outboxCutoff(now)).isEqualTo(now.minus(Duration.ofHours(1)));
    assertThat(policy.progressEventsCutoff(now)).isEqualTo(now.minus(Duration.ofDays(7)));
    assertThat(policy.batchSize()).isEqualTo(1000);
  }

  @Test
  void acksAreAppliedUpToTheMessageLogRetentionLessAnHourForFastClocks() {
    RetentionPolicy policy =
        new RetentionPolicy(
            TestConfig.coordinator(Map.of("coordinator.retention.message-log", "P2D")));
    Instant oldest = now.minus(Duration.ofDays(2)).plus(Duration.ofHours(1));

    assertThat(policy.oldestAppliedAck(now)).isEqualTo(oldest);
    assertThat(policy.isTooOldToApply(oldest, now)).isFalse();
    assertThat(policy.isTooOldToApply(oldest.minusMillis(1), now)).isTrue();
    assertThat(policy.isTooOldToApply(now.plus(Duration.ofHours(1)), now))
        .as("an ack from a clock an hour fast")
        .isFalse();
  }

  @Test
  void anAckTheLogStillHoldsIsNeverRefusedByAgeNorOneItForgot() {
    // an agent an hour fast: its ack applied at p says at = p + 1h; the log keeps it until p + 7d
    RetentionPolicy policy = new RetentionPolicy(TestConfig.coordinator(Map.of()));
    Instant p = now;
    Instant at = p.plus(RetentionPolicy.CLOCK_SKEW_MARGIN);
    Instant forgotten = p.plus(Duration.ofDays(7)).plusMillis(1);

    assertThat(policy.messageLogCutoff(forgotten)).isAfter(p);
    assertThat(policy.isTooOldToApply(at, forgotten)).isTrue();
  }

  @Test
  void wrongSettingsAreRefusedNamingThem() {
    assertThatThrownBy(
            () ->
                new RetentionPolicy(
                    Duration.ofHours(1), Duration.ofHours(1), Duration.ofDays(1), 10))
        .hasMessageContaining("coordinator.retention.message-log must be longer than the PT1H");
    assertThatThrownBy(
            () -> new RetentionPolicy(Duration.ofDays(7), Duration.ZERO, Duration.ofDays(1), 10))
        .hasMessageContaining("coordinator.retention.outbox must be a positive duration");
    assertThatThrownBy(
            () ->
                new RetentionPolicy(
                    Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(-1), 10))
        .hasMessageContaining("coordinator.retention.progress-events must be a positive");
    assertThatThrownBy(
            () ->
                new RetentionPolicy(Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(1), 0))
        .hasMessageContaining("coordinator.retention.batch-size must be at least 1");
  }
}
