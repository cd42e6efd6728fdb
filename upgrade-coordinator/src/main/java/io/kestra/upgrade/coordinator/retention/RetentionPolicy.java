package io.kestra.upgrade.coordinator.retention;

import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;

/**
 * How long the tables that grow with traffic keep their rows ({@code coordinator.retention.*}), as
 * cut-offs at a given time, the oldest ack that is still applied, and how many rows one transaction
 * deletes.
 *
 * <p>The message log forgets an ack {@code message-log} after applying it, so a replay of an older
 * ack would not be recognised: acks are applied only when their own {@code at} is within {@code
 * message-log} less {@link #CLOCK_SKEW_MARGIN} of the coordinator's clock. The margin covers an
 * agent whose clock runs up to an hour fast: its ack, applied at coordinator time {@code p}, says
 * {@code at <= p + 1h}; its log entry lives until at least {@code p + message-log}; a replay
 * arriving after that, at {@code now > p + message-log}, has {@code at < now - message-log + 1h}
 * and is refused by age. (PROGRESS acks are not logged: a step ignores one no newer than the last
 * it applied.)
 */
@Singleton
public final class RetentionPolicy {

  /** How far ahead of the coordinator's an agent's clock may run without a replay getting in. */
  public static final Duration CLOCK_SKEW_MARGIN = Duration.ofHours(1);

  private final Duration messageLog;
  private final Duration outbox;
  private final Duration progressEvents;
  private final int batchSize;

  /** The policy of the coordinator's configuration. */
  @Inject
  public RetentionPolicy(CoordinatorConfig config) {
    this(
        config.retention().messageLog(),
        config.retention().outbox(),
        config.retention().progressEvents(),
        config.retention().batchSize());
  }

  /**
   * @throws IllegalArgumentException naming the setting, when a duration is not positive, the
   *     message log's is not longer than {@link #CLOCK_SKEW_MARGIN}, or the batch size is below 1
   */
  public RetentionPolicy(
      Duration messageLog, Duration outbox, Duration progressEvents, int batchSize) {
    this.messageLog = positive("message-log", messageLog);
    this.outbox = positive("outbox", outbox);
    this.progressEvents = positive("progress-events", progressEvents);
    if (messageLog.compareTo(CLOCK_SKEW_MARGIN) <= 0) {
      throw new IllegalArgumentException(
          "coordinator.retention.message-log must be longer than the "
              + CLOCK_SKEW_MARGIN
              + " margin for agents' clocks (acks older than the difference are ignored): "
              + messageLog);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "coordinator.retention.batch-size must be at least 1: " + batchSize);
    }
    this.batchSize = batchSize;
  }

  private static Duration positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "coordinator.retention." + key + " must be a positive duration: " + value);
    }
    return value;
  }

  /** Message-log entries recorded before this are deleted. */
  public Instant messageLogCutoff(Instant now) {
    return now.minus(messageLog);
  }

  /** Outbox rows sent before this are deleted. */
  public Instant outboxCutoff(Instant now) {
    return now.minus(outbox);
  }

  /** {@code step.progress} events that happened before this are deleted. */
  public Instant progressEventsCutoff(Instant now) {
    return now.minus(progressEvents);
  }

  /** An ack whose own {@code at} is before this is ignored. */
  public Instant oldestAppliedAck(Instant now) {
    return messageLogCutoff(now).plus(CLOCK_SKEW_MARGIN);
  }

  /** Rows deleted per transaction. */
  public int batchSize() {
    return batchSize;
  }

  /** Whether an ack sent at {@code ackAt} (the agent's clock) is too old to be applied now. */
  public boolean isTooOldToApply(Instant ackAt, Instant now) {
    return ackAt.isBefore(oldestAppliedAck(now));
  }

  @Override
  public String toString() {
    return "message log "
        + messageLog
        + ", sent outbox rows "
        + outbox
        + ", progress events "
        + progressEvents
        + "; acks older than "
        + messageLog.minus(CLOCK_SKEW_MARGIN)
        + " ignored; "
        + batchSize
        + " rows per transaction";
  }
}
