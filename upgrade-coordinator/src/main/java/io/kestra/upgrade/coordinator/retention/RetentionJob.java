package io.kestra.upgrade.coordinator.retention;

import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.messagelog.MessageLog;
import io.kestra.upgrade.coordinator.outbox.OutboxStore;
import io.kestra.upgrade.coordinator.upgrade.store.EventHistory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes what the coordinator no longer needs ({@link RetentionPolicy}): message-log entries,
 * published outbox rows, and the {@code step.progress} events of upgrades' histories, each by age;
 * transitions are kept forever. Every instance runs it: a delete is idempotent, and rows another
 * instance is deleting are skipped. Each table is pruned in batches of {@code
 * coordinator.retention.batch-size} rows, each batch its own transaction, so that no lock is held
 * long; a batch that comes back full is followed by another. Rows deleted are counted per table
 * ({@code coordinator.retention.deleted}, tag {@code table}).
 */
@ApplicationScoped
public class RetentionJob {

  private static final Logger LOG = Logger.getLogger(RetentionJob.class);

  /**
   * Rows deleted by one run, per table.
   *
   * @param processedMessages from {@code processed_message}
   * @param outbox from {@code outbox}
   * @param progressEvents from {@code upgrade_event}
   */
  public record Pruned(long processedMessages, long outbox, long progressEvents) {

    long total() {
      return processedMessages + outbox + progressEvents;
    }
  }

  /** One batch of deletes, in the given transaction. */
  @FunctionalInterface
  private interface Batch {
    int delete(Connection c, int limit) throws SQLException;
  }

  private final Tx tx;
  private final MessageLog messages;
  private final OutboxStore outbox;
  private final EventHistory history;
  private final RetentionPolicy policy;
  private final Clock clock;
  private final Counter deletedMessages;
  private final Counter deletedOutbox;
  private final Counter deletedEvents;

  public RetentionJob(
      Tx tx,
      MessageLog messages,
      OutboxStore outbox,
      EventHistory history,
      RetentionPolicy policy,
      Clock clock,
      MeterRegistry registry) {
    this.tx = tx;
    this.messages = messages;
    this.outbox = outbox;
    this.history = history;
    this.policy = policy;
    this.clock = clock;
    this.deletedMessages = deleted(registry, "processed_message");
    this.deletedOutbox = deleted(registry, "outbox");
    this.deletedEvents = deleted(registry, "upgrade_event");
  }

  private static Counter deleted(MeterRegistry registry, String table) {
    return Counter.builder("coordinator.retention.deleted")
        .description("rows deleted by the retention job")
        .baseUnit("rows")
        .tag("table", table)
        .register(registry);
  }

  /** Says the policy at start-up; a wrong setting stops the start here. */
  void onStart(@Observes StartupEvent event) {
    LOG.infof("retention: %s", policy);
  }

  @Scheduled(
      every = "${coordinator.retention.interval:PT10M}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void tick() {
    try {
      Pruned pruned = prune();
      if (pruned.total() > 0) {
        LOG.infof(
            "retention: deleted %d processed_message, %d outbox and %d upgrade_event rows",
            pruned.processedMessages(), pruned.outbox(), pruned.progressEvents());
      }
    } catch (RuntimeException e) {
      // the next run tries again; what was deleted stays deleted
      LOG.warn("retention job failed", e);
    }
  }

  /** One run over the three tables, with the cut-offs of now. */
  public Pruned prune() {
    Instant now = clock.instant();
    Instant messageLogCutoff = policy.messageLogCutoff(now);
    Instant outboxCutoff = policy.outboxCutoff(now);
    Instant progressCutoff = policy.progressEventsCutoff(now);
    return new Pruned(
        prune(deletedMessages, (c, n) -> messages.deleteRecordedBefore(c, messageLogCutoff, n)),
        prune(deletedOutbox, (c, n) -> outbox.deleteSentBefore(c, outboxCutoff, n)),
        prune(deletedEvents, (c, n) -> history.deleteProgressBefore(c, progressCutoff, n)));
  }

  private long prune(Counter deleted, Batch batch) {
    int batchSize = policy.batchSize();
    long total = 0;
    int n;
    do {
      n = tx.run(c -> batch.delete(c, batchSize));
      deleted.increment(n);
      total += n;
    } while (n == batchSize);
    return total;
  }
}
