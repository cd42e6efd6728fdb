package io.kestra.upgrade.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer thread that reads the one partition a key's records go to and hands each record of
 * that key, decoded, to a handler, one at a time and in order. It is in no consumer group: it
 * {@code assign}s itself the partition the producer's default partitioner gives the key ({@link
 * KeyPartitions}), and its position is kept by its owner ({@link PositionStore}, the agent's
 * command journal), never on the broker, so that a restart never waits for a rebalance and a fleet
 * of agents is not a fleet of groups. The agent's core runs on it rather than on SmallRye Reactive
 * Messaging because it is plain Java (many agents run in one test JVM), reads a partition it
 * chooses itself, and holds a command's record for as long as the command runs.
 *
 * <ol>
 *   <li>Positioning: with a stored position of the same partition, the loop seeks to it; without
 *       one (a brand-new owner) it seeks to the end of the partition and stores that position at
 *       once, so that a record published while the owner is down is still read when it comes back,
 *       and history is never replayed. A stored position no longer in the log (deleted by
 *       retention) resets to the partition's earliest record.
 *   <li>A record of another key (another agent whose key hashes to the same partition) is skipped
 *       unseen: neither decoded nor handed over.
 *   <li>A record that does not decode ({@link MalformedRecordException}) is copied to the
 *       dead-letter topic at once; one whose handler throws, or whose handler's stage fails, is
 *       handed over again up to {@code attempts} times in all (a second apart), then copied there
 *       with the last failure. Either way the loop moves on: nothing blocks it.
 *   <li>A handler may answer with a stage that is not complete yet (a long command): the loop holds
 *       the record with its partition paused, keeps polling, and goes on when the stage completes.
 *       The next record is not handled before.
 *   <li>The position moves past a record only once it is settled (skipped, handled, set aside). It
 *       is stored at once after a record of the key, at most every {@code flushInterval} otherwise
 *       (a run of other keys' records costs no write per record), and at close. So the stored
 *       position is at most the true one: after a crash, some records may be read again (the owner
 *       answers its own from its journal), none is ever skipped; a held record is never passed by a
 *       close.
 *   <li>A change of the topic's partition count while the loop runs is seen within {@code
 *       metadata.max.age.ms} (plus {@link #PARTITION_CHECK}): when the key's partition changes, the
 *       loop settles what it has queued, assigns itself the new partition and reads it from the
 *       records published since {@link #SWITCH_MARGIN} before the change was seen (producers switch
 *       as they learn of the change; re-read records of the key are answered from the journal).
 *       Records a producer with stale metadata still sends to the old partition after the switch
 *       are not read: their commands expire unanswered, which their sender's deadline reports. A
 *       partition count changed while the owner was down is handled alike, from the stored
 *       position's time.
 * </ol>
 *
 * @param <T> what a record's value decodes to
 */
public final class RecordLoop<T> implements AutoCloseable {

  /** Reads a record's value. */
  @FunctionalInterface
  public interface Decoder<T> {
    /**
     * @throws MalformedRecordException when the value is not a valid message
     */
    T decode(byte[] value);
  }

  /** Handles one decoded record. */
  @FunctionalInterface
  public interface Handler<T> {
    /**
     * @return a stage that completes when the record is handled; a completed stage for synchronous
     *     work
     */
    CompletionStage<?> handle(ConsumerRecord<String, byte[]> record, T value) throws Exception;
  }

  /**
   * Where the loop's owner keeps the loop's position: durable once {@link #savePosition} returns.
   */
  public interface PositionStore {
    /** The last position saved, if any. */
    Optional<Position> loadPosition();

    /** Keeps {@code position}, replacing the one before. */
    void savePosition(Position position);
  }

  /** How often the loop asks the consumer's metadata for the topic's partition count. */
  public static final Duration PARTITION_CHECK = Duration.ofSeconds(10);

  /** How far before a partition switch the new partition is read from. */
  public static final Duration SWITCH_MARGIN = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(RecordLoop.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration HELD_POLL = Duration.ofMillis(200);
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final String key;
  private final Decoder<T> decoder;
  private final Handler<T> handler;
  private final DeadLetters deadLetters;
  private final PositionStore positions;
  private final int attempts;
  private final Duration flushInterval;
  private final Clock clock;
  private final Runnable onPositioned;

  private final Deque<ConsumerRecord<String, byte[]>> queue = new ArrayDeque<>();
  private final CountDownLatch positioned = new CountDownLatch(1);
  private TopicPartition partition;
  private long next;
  private boolean dirty;
  private Instant savedAt = Instant.MIN;
  private Instant checkedAt = Instant.MIN;
  private Held held;
  private volatile TopicPartition assigned;
  private volatile boolean paused;
  private volatile boolean running;
  private Thread thread;

  private RecordLoop(Builder<T> b) {
    this.consumer = b.consumer;
    this.topic = b.topic;
    this.key = b.key;
    this.decoder = b.decoder;
    this.handler = b.handler;
    this.deadLetters = b.deadLetters;
    this.positions = b.positions;
    this.attempts = b.attempts;
    this.flushInterval = b.flushInterval;
    this.clock = b.clock;
    this.onPositioned = b.onPositioned;
  }

  /** Starts a builder for a loop over {@code topic} whose values {@code decoder} reads. */
  public static <T> Builder<T> builder(String topic, Decoder<T> decoder) {
    return new Builder<>(topic, decoder);
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

  /** Waits until the consumer is positioned on the key's partition; false on time-out. */
  public boolean awaitPositioned(Duration timeout) throws InterruptedException {
    return positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The partition read, once positioned. */
  public Optional<TopicPartition> assignedPartition() {
    return Optional.ofNullable(assigned);
  }

  /** Whether the partition is paused at the last poll: it is while a record is held. */
  public boolean isPaused() {
    return paused;
  }

  /**
   * Stops polling, stores the position, closes the consumer. A held record is abandoned: the
   * position stored is its own, so that it is read again at the next start.
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
      while (running) {
        try {
          if (assigned == null) {
            position();
          } else {
            step();
          }
        } catch (WakeupException e) {
          // close() or a completed stage: the loop condition and the held record are read again
        } catch (KafkaException e) {
          LOG.warn("consumer of {} (key {}) failed, retrying", topic, key, e);
          pause(1_000);
        }
      }
    } finally {
      flush(true);
      consumer.close(Duration.ofSeconds(10));
    }
  }

  /** Step 1: assigns the key's partition and seeks to the stored position, or stores one. */
  private void position() {
    int count = partitionCount();
    if (count < 1) {
      LOG.warn("topic {} has no partitions yet (key {}): retrying", topic, key);
      pause(1_000);
      return;
    }
    TopicPartition tp = new TopicPartition(topic, KeyPartitions.partitionOf(key, count));
    consumer.assign(List.of(tp));
    partition = tp;
    Optional<Position> stored = positions.loadPosition();
    if (stored.isPresent() && stored.get().partition() == tp.partition()) {
      consumer.seek(tp, stored.get().offset());
      next = stored.get().offset();
      LOG.info("reading {} (key {}) from its stored position {}", tp, key, next);
    } else if (stored.isPresent()) {
      LOG.warn(
          "the partition count of {} changed while key {} was not read: {} instead of {}",
          topic,
          key,
          tp.partition(),
          stored.get().partition());
      next = seekByTime(tp, stored.get().at().minus(SWITCH_MARGIN));
      save();
    } else {
      consumer.seekToEnd(List.of(tp));
      next = consumer.position(tp);
      LOG.info("reading {} (key {}) from its end {}: nothing read before", tp, key, next);
      save();
    }
    assigned = tp;
    checkedAt = clock.instant();
    if (positioned.getCount() > 0) {
      positioned.countDown();
      onPositioned.run();
    }
  }

  private void step() {
    if (held != null) {
      if (!held.stage.isDone()) {
        poll(HELD_POLL);
        return;
      }
      release();
      return;
    }
    if (queue.isEmpty()) {
      flush(false);
      followPartitionCount();
      if (partition != null) {
        poll(POLL);
      }
      return;
    }
    handle(queue.poll(), 1);
  }

  private void poll(Duration timeout) {
    // the partition is paused while a record is held, so nothing comes back then
    consumer.poll(timeout).forEach(queue::add);
    paused = !consumer.paused().isEmpty();
  }

  /** Steps 2 and 3: a record of another key is skipped, one of the key decoded and handed over. */
  private void handle(ConsumerRecord<String, byte[]> record, int attempt) {
    if (!key.equals(record.key())) {
      settled(record, false);
      return;
    }
    T value;
    try {
      value = decoder.decode(record.value());
    } catch (RuntimeException e) {
      setAside(record, e);
      return;
    }
    hold(record, value, attempt, dispatch(record, value));
  }

  private CompletableFuture<?> dispatch(ConsumerRecord<String, byte[]> record, T value) {
    try {
      return handler.handle(record, value).toCompletableFuture();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return CompletableFuture.failedFuture(e);
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void hold(
      ConsumerRecord<String, byte[]> record, T value, int attempt, CompletableFuture<?> stage) {
    held = new Held(record, value, attempt, stage);
    if (!stage.isDone()) {
      consumer.pause(List.of(partition));
      paused = true;
      stage.whenComplete((r, e) -> consumer.wakeup());
    }
  }

  private void release() {
    Held h = held;
    held = null;
    if (!running) {
      // closing: the record stays unsettled and is read again at the next start
      return;
    }
    consumer.resume(consumer.paused());
    paused = false;
    if (!h.stage.isCompletedExceptionally()) {
      settled(h.record, true);
      return;
    }
    Throwable failure = failureOf(h.stage);
    if (h.attempt < attempts) {
      LOG.warn(
          "handling {}-{}@{} (key {}) failed (attempt {} of {}), retrying: {}",
          h.record.topic(),
          h.record.partition(),
          h.record.offset(),
          key,
          h.attempt,
          attempts,
          failure.toString());
      CompletableFuture<?> retry =
          CompletableFuture.runAsync(
                  () -> {},
                  CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS))
              .thenCompose(ignored -> dispatch(h.record, h.value));
      hold(h.record, h.value, h.attempt + 1, retry);
      return;
    }
    setAside(h.record, failure);
  }

  private static Throwable failureOf(CompletableFuture<?> stage) {
    try {
      stage.join();
      throw new IllegalStateException("the stage did not fail");
    } catch (CompletionException e) {
      return e.getCause() instanceof CompletionException nested ? nested.getCause() : e.getCause();
    } catch (CancellationException e) {
      return e;
    }
  }

  private void setAside(ConsumerRecord<String, byte[]> record, Throwable failure) {
    deadLetters.setAside(record, failure);
    settled(record, true);
  }

  /** Step 5: the position moves past a settled record; stored at once for one of the key. */
  private void settled(ConsumerRecord<String, byte[]> record, boolean ofTheKey) {
    next = record.offset() + 1;
    dirty = true;
    if (ofTheKey) {
      save();
    }
  }

  /** Stores the position if it moved and {@code flushInterval} has passed, or when forced. */
  private void flush(boolean force) {
    if (partition == null) {
      return;
    }
    if (held == null && queue.isEmpty()) {
      try {
        // every record before the consumer's position is settled
        long position = consumer.position(partition, Duration.ofSeconds(1));
        if (position > next) {
          next = position;
          dirty = true;
        }
      } catch (KafkaException e) {
        LOG.debug("position of {} unknown for now", partition, e);
      }
    }
    if (dirty && (force || !clock.instant().isBefore(savedAt.plus(flushInterval)))) {
      save();
    }
  }

  private void save() {
    Instant now = clock.instant();
    positions.savePosition(new Position(partition.partition(), next, now));
    savedAt = now;
    dirty = false;
  }

  /** Step 6: follows a change of the topic's partition count. */
  private void followPartitionCount() {
    Instant now = clock.instant();
    if (now.isBefore(checkedAt.plus(PARTITION_CHECK))) {
      return;
    }
    checkedAt = now;
    int count = partitionCount();
    if (count < 1) {
      return;
    }
    int moved = KeyPartitions.partitionOf(key, count);
    if (moved == partition.partition()) {
      return;
    }
    TopicPartition tp = new TopicPartition(topic, moved);
    LOG.warn(
        "topic {} now has {} partitions: key {} moves from partition {} to {}, read from {} on",
        topic,
        count,
        key,
        partition.partition(),
        moved,
        now.minus(SWITCH_MARGIN));
    consumer.assign(List.of(tp));
    partition = tp;
    assigned = tp;
    next = seekByTime(tp, now.minus(SWITCH_MARGIN));
    save();
  }

  /** Seeks to the first record at or after {@code since}, or the end; returns the offset. */
  private long seekByTime(TopicPartition tp, Instant since) {
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(Map.of(tp, since.toEpochMilli()), METADATA_TIMEOUT);
    OffsetAndTimestamp at = found.get(tp);
    if (at == null) {
      consumer.seekToEnd(List.of(tp));
      return consumer.position(tp);
    }
    consumer.seek(tp, at.offset());
    return at.offset();
  }

  /** The topic's partition count as the consumer's metadata has it; 0 for an unknown topic. */
  private int partitionCount() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
    return infos == null ? 0 : infos.size();
  }

  private void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** The record being handled asynchronously. */
  private final class Held {
    final ConsumerRecord<String, byte[]> record;
    final T value;
    final int attempt;
    final CompletableFuture<?> stage;

    Held(ConsumerRecord<String, byte[]> record, T value, int attempt, CompletableFuture<?> stage) {
      this.record = record;
      this.value = value;
      this.attempt = attempt;
      this.stage = stage;
    }
  }

  /** Builds a {@link RecordLoop}. */
  public static final class Builder<T> {
    private final String topic;
    private final Decoder<T> decoder;
    private Consumer<String, byte[]> consumer;
    private String key;
    private Handler<T> handler;
    private DeadLetters deadLetters;
    private PositionStore positions;
    private int attempts = 1;
    private Duration flushInterval = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();
    private Runnable onPositioned = () -> {};

    private Builder(String topic, Decoder<T> decoder) {
      this.topic = topic;
      this.decoder = decoder;
    }

    /** The consumer to use: in no group, not assigned yet, committing nothing by itself. */
    public Builder<T> consumer(Consumer<String, byte[]> consumer) {
      this.consumer = consumer;
      return this;
    }

    /** The key whose records are handled; its partition is the one read. */
    public Builder<T> key(String key) {
      this.key = key;
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

    /** Where the position is kept. */
    public Builder<T> positions(PositionStore positions) {
      this.positions = positions;
      return this;
    }

    /** How many times a record whose handling fails is handed over in all; 1 by default. */
    public Builder<T> attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /** The longest a position moved by skipped records waits to be stored; 5 s by default. */
    public Builder<T> flushInterval(Duration interval) {
      this.flushInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** The time of positions and checks. */
    public Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs once, on the loop's thread, when the consumer is first positioned. */
    public Builder<T> onPositioned(Runnable action) {
      this.onPositioned = action;
      return this;
    }

    public RecordLoop<T> build() {
      if (consumer == null
          || key == null
          || handler == null
          || deadLetters == null
          || positions == null) {
        throw new IllegalStateException(
            "consumer, key, handler, deadLetters and positions are required");
      }
      return new RecordLoop<>(this);
    }
  }
}
