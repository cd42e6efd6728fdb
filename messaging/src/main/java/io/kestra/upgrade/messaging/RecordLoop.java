package io.kestra.upgrade.messaging;

import io.kestra.upgrade.common.Decoded;
import io.kestra.upgrade.common.JsonCodec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer thread that hands every record of one topic, decoded, to a handler, one at a time and
 * in order, and commits a record only once it is handled.
 *
 * <ol>
 *   <li>A record the {@code filter} refuses (another agent's command) is committed unseen.
 *   <li>A record that does not decode is logged with its offset, copied to the dead-letter topic
 *       and committed: it never blocks the loop.
 *   <li>A handler that throws {@link PoisonRecordException} has the record set aside likewise; any
 *       other exception is taken as transient: the same record is retried after a back-off.
 *   <li>A handler may answer with a stage that is not complete yet (a long command): the loop
 *       pauses its partitions, keeps polling so that the group keeps it, and commits and resumes
 *       when the stage completes. The next record is not handled before.
 * </ol>
 *
 * @param <T> the message type of the topic
 */
public final class RecordLoop<T> implements AutoCloseable {

  /** Handles one decoded record. */
  @FunctionalInterface
  public interface Handler<T> {
    /**
     * @return a stage that completes when the record is handled; a completed stage for synchronous
     *     work
     */
    CompletionStage<?> handle(ConsumerRecord<String, byte[]> record, T value) throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(RecordLoop.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration PAUSED_POLL = Duration.ofMillis(200);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final String group;
  private final Class<T> type;
  private final JsonCodec codec;
  private final Handler<T> handler;
  private final DeadLetters deadLetters;
  private final Predicate<ConsumerRecord<String, byte[]>> filter;
  private final boolean commitPositionsOnAssign;
  private final Runnable onFirstAssignment;

  private final Deque<ConsumerRecord<String, byte[]>> queue = new ArrayDeque<>();
  private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
  private final CountDownLatch assigned = new CountDownLatch(1);
  private CompletableFuture<?> pending;
  private ConsumerRecord<String, byte[]> pendingRecord;
  private long backoffMs;
  private volatile boolean running;
  private Thread thread;

  private RecordLoop(Builder<T> b) {
    this.consumer = b.consumer;
    this.topic = b.topic;
    this.group = b.group;
    this.type = b.type;
    this.codec = b.codec;
    this.handler = b.handler;
    this.deadLetters = b.deadLetters;
    this.filter = b.filter;
    this.commitPositionsOnAssign = b.commitPositionsOnAssign;
    this.onFirstAssignment = b.onFirstAssignment;
  }

  /** Starts a builder for a loop over {@code topic} of values of {@code type}. */
  public static <T> Builder<T> builder(String topic, Class<T> type) {
    return new Builder<>(topic, type);
  }

  /** Starts the loop's thread. */
  public synchronized void start(String threadName) {
    if (thread != null) {
      throw new IllegalStateException("already started");
    }
    running = true;
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until the consumer has its partitions; false on time-out. */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Stops polling, commits what was handled, closes the consumer. A pending stage is abandoned
   * uncommitted.
   */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    if (t == null) {
      consumer.close();
      return;
    }
    consumer.wakeup();
    try {
      t.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new Rebalance());
      while (running) {
        try {
          step();
        } catch (WakeupException e) {
          // close() or a completed stage: the loop condition and the pending stage are re-read
        } catch (KafkaException e) {
          LOG.warn("consumer of {} (group {}) failed, retrying", topic, group, e);
          sleep(1_000);
        }
      }
    } finally {
      try {
        if (!done.isEmpty()) {
          consumer.commitSync(done, Duration.ofSeconds(10));
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "final commit of {} (group {}) failed; handled records may be redelivered",
            topic,
            group,
            e);
      }
      consumer.close(Duration.ofSeconds(10));
    }
  }

  private void step() {
    if (pending != null) {
      if (!pending.isDone()) {
        consumer.poll(PAUSED_POLL);
        return;
      }
      finishPending();
    }
    if (queue.isEmpty()) {
      consumer.poll(POLL).forEach(queue::add);
      return;
    }
    ConsumerRecord<String, byte[]> record = queue.peek();
    if (!filter.test(record)) {
      queue.poll();
      markDone(record);
      return;
    }
    Decoded<T> decoded = codec.decode(record.value(), type);
    if (decoded instanceof Decoded.Malformed<T> malformed) {
      deadLetters.setAside(record, group, malformed.error());
      queue.poll();
      markDone(record);
      return;
    }
    T value = ((Decoded.Ok<T>) decoded).value();
    CompletableFuture<?> stage;
    try {
      stage = handler.handle(record, value).toCompletableFuture();
    } catch (PoisonRecordException e) {
      deadLetters.setAside(record, group, e.getMessage());
      queue.poll();
      markDone(record);
      return;
    } catch (Exception e) {
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs == 0 ? 200 : backoffMs * 2);
      LOG.warn(
          "handling {}-{}@{} failed, retrying in {} ms",
          record.topic(),
          record.partition(),
          record.offset(),
          backoffMs,
          e);
      sleep(backoffMs);
      return;
    }
    backoffMs = 0;
    queue.poll();
    if (stage.isDone()) {
      complete(record, stage);
    } else {
      pending = stage;
      pendingRecord = record;
      consumer.pause(consumer.assignment());
      stage.whenComplete((r, e) -> consumer.wakeup());
    }
  }

  private void finishPending() {
    ConsumerRecord<String, byte[]> record = pendingRecord;
    CompletableFuture<?> stage = pending;
    pending = null;
    pendingRecord = null;
    consumer.resume(consumer.paused());
    complete(record, stage);
  }

  private void complete(ConsumerRecord<String, byte[]> record, CompletableFuture<?> stage) {
    if (stage.isCompletedExceptionally()) {
      // handlers report their own failures; an exceptional stage is a bug, logged, not retried:
      // retrying could run a command twice
      stage.exceptionally(
          e -> {
            LOG.error(
                "handler of {}-{}@{} failed",
                record.topic(),
                record.partition(),
                record.offset(),
                e);
            return null;
          });
    }
    markDone(record);
  }

  private void markDone(ConsumerRecord<String, byte[]> record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    OffsetAndMetadata next = new OffsetAndMetadata(record.offset() + 1);
    done.put(tp, next);
    consumer.commitAsync(
        Map.of(tp, next),
        (offsets, e) -> {
          if (e != null) {
            LOG.debug("commit of {} failed; the record may be redelivered", offsets, e);
          }
        });
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // records of revoked partitions go to their new owner, from the last commit
      queue.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
      partitions.forEach(done::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (commitPositionsOnAssign && !partitions.isEmpty()) {
        // a group without offsets starts at the end; committing that position at once means a
        // record published while this member is down is still delivered when it comes back
        Map<TopicPartition, OffsetAndMetadata> committed =
            consumer.committed(Set.copyOf(partitions));
        Map<TopicPartition, OffsetAndMetadata> initial = new HashMap<>();
        for (TopicPartition tp : partitions) {
          if (committed.get(tp) == null) {
            initial.put(tp, new OffsetAndMetadata(consumer.position(tp)));
          }
        }
        if (!initial.isEmpty()) {
          consumer.commitSync(initial);
        }
      }
      if (pending != null) {
        consumer.pause(partitions);
      }
      if (assigned.getCount() > 0) {
        assigned.countDown();
        onFirstAssignment.run();
      }
    }
  }

  /** Builds a {@link RecordLoop}. */
  public static final class Builder<T> {
    private final String topic;
    private final Class<T> type;
    private Consumer<String, byte[]> consumer;
    private String group;
    private JsonCodec codec = JsonCodec.create();
    private Handler<T> handler;
    private DeadLetters deadLetters;
    private Predicate<ConsumerRecord<String, byte[]>> filter = r -> true;
    private boolean commitPositionsOnAssign;
    private Runnable onFirstAssignment = () -> {};

    private Builder(String topic, Class<T> type) {
      this.topic = topic;
      this.type = type;
    }

    /** The consumer to use (not subscribed yet), and its group id for logs and dead letters. */
    public Builder<T> consumer(Consumer<String, byte[]> consumer, String group) {
      this.consumer = consumer;
      this.group = group;
      return this;
    }

    public Builder<T> codec(JsonCodec codec) {
      this.codec = codec;
      return this;
    }

    public Builder<T> handler(Handler<T> handler) {
      this.handler = handler;
      return this;
    }

    public Builder<T> deadLetters(DeadLetters deadLetters) {
      this.deadLetters = deadLetters;
      return this;
    }

    /** Records refused by the filter are skipped without being decoded. */
    public Builder<T> filter(Predicate<ConsumerRecord<String, byte[]>> filter) {
      this.filter = filter;
      return this;
    }

    /** Commit the start position of partitions without offsets as soon as they are assigned. */
    public Builder<T> commitPositionsOnAssign(boolean commit) {
      this.commitPositionsOnAssign = commit;
      return this;
    }

    /** Runs once, on the loop's thread, when the consumer first gets its partitions. */
    public Builder<T> onFirstAssignment(Runnable action) {
      this.onFirstAssignment = action;
      return this;
    }

    public RecordLoop<T> build() {
      if (consumer == null || handler == null || deadLetters == null) {
        throw new IllegalStateException("consumer, handler and deadLetters are required");
      }
      return new RecordLoop<>(this);
    }
  }
}
