package io.kestra.upgrade.messaging;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
 * in order, and commits a record only once it is handled. The agent's core runs on it rather than
 * on SmallRye Reactive Messaging because it is plain Java (many agents run in one test JVM) and
 * holds a command's record for as long as the command runs.
 *
 * <ol>
 *   <li>A record the {@code filter} refuses (another agent's command) is committed unseen: it is
 *       neither decoded nor handed over.
 *   <li>A record that does not decode ({@link MalformedRecordException}), whose handler throws, or
 *       whose handler's stage fails is copied to the dead-letter topic with that failure and
 *       committed: it is never retried and never blocks the loop.
 *   <li>A handler may answer with a stage that is not complete yet (a long command): the loop holds
 *       the record, pauses its partitions, keeps polling so that the group keeps it, and commits
 *       and resumes when the stage completes. The next record is not handled before.
 *   <li>A rebalance: before partitions go, what was handled on them is committed and their queued
 *       records are dropped, so that their new owner starts right after the last record handled.
 *       Partitions assigned while a record is held are paused too. A held record whose partition
 *       comes back (an eager rebalance revokes all, then assigns) is not read again; one whose
 *       partition went to another member is not committed here, and that member reads it again: the
 *       one case where the group handles a record twice.
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

  private static final Logger LOG = LoggerFactory.getLogger(RecordLoop.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration HELD_POLL = Duration.ofMillis(200);
  private static final int WAKEUPS_TOLERATED = 3;

  private final Consumer<String, byte[]> consumer;
  private final String topic;
  private final String group;
  private final Decoder<T> decoder;
  private final Handler<T> handler;
  private final DeadLetters deadLetters;
  private final Predicate<ConsumerRecord<String, byte[]>> filter;
  private final boolean commitPositionsOnAssign;
  private final Runnable onFirstAssignment;

  private final Deque<ConsumerRecord<String, byte[]>> queue = new ArrayDeque<>();
  private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
  private final CountDownLatch assigned = new CountDownLatch(1);
  private Held held;
  private volatile Set<TopicPartition> assignment = Set.of();
  private volatile Set<TopicPartition> paused = Set.of();
  private volatile boolean running;
  private Thread thread;

  private RecordLoop(Builder<T> b) {
    this.consumer = b.consumer;
    this.topic = b.topic;
    this.group = b.consumer.groupMetadata().groupId();
    this.decoder = b.decoder;
    this.handler = b.handler;
    this.deadLetters = b.deadLetters;
    this.filter = b.filter;
    this.commitPositionsOnAssign = b.commitPositionsOnAssign;
    this.onFirstAssignment = b.onFirstAssignment;
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

  /** Waits until the consumer has its partitions; false on time-out. */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The partitions of this member at its last poll. */
  public Set<TopicPartition> assignedPartitions() {
    return assignment;
  }

  /** The partitions paused at its last poll: all of them while a record is held. */
  public Set<TopicPartition> pausedPartitions() {
    return paused;
  }

  /**
   * Stops polling, commits what was handled, closes the consumer. A held record is abandoned
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
          // close() or a completed stage: the loop condition and the held record are read again
        } catch (KafkaException e) {
          LOG.warn("consumer of {} (group {}) failed, retrying", topic, group, e);
          sleep(1_000);
        }
      }
    } finally {
      commit(new HashMap<>(done));
      consumer.close(Duration.ofSeconds(10));
    }
  }

  private void step() {
    if (held != null) {
      if (!held.stage.isDone()) {
        poll(HELD_POLL);
        return;
      }
      release();
    }
    if (queue.isEmpty()) {
      poll(POLL);
      return;
    }
    handle(queue.poll());
  }

  private void poll(Duration timeout) {
    // every partition is paused while a record is held, so nothing comes back then; whatever
    // does come back is queued behind what was there, which keeps each partition's order
    consumer.poll(timeout).forEach(queue::add);
    assignment = Set.copyOf(consumer.assignment());
    paused = Set.copyOf(consumer.paused());
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    if (!filter.test(record)) {
      markDone(record);
      return;
    }
    CompletableFuture<?> stage;
    try {
      stage = handler.handle(record, decoder.decode(record.value())).toCompletableFuture();
    } catch (InterruptedException e) {
      // uncommitted: the record is read again by whoever consumes next
      Thread.currentThread().interrupt();
      running = false;
      return;
    } catch (Exception e) {
      setAside(record, e);
      return;
    }
    if (stage.isDone()) {
      finish(record, stage);
      return;
    }
    held = new Held(record, stage);
    consumer.pause(consumer.assignment());
    stage.whenComplete((r, e) -> consumer.wakeup());
  }

  private void release() {
    Held h = held;
    held = null;
    consumer.resume(consumer.paused());
    if (h.partitionLost) {
      LOG.warn(
          "{}-{}@{} (group {}) was handled while its partition moved to another member, which"
              + " reads it again from the last commit",
          h.record.topic(),
          h.record.partition(),
          h.record.offset(),
          group);
      return;
    }
    finish(h.record, h.stage);
  }

  private void finish(ConsumerRecord<String, byte[]> record, CompletableFuture<?> stage) {
    if (!stage.isCompletedExceptionally()) {
      markDone(record);
      return;
    }
    try {
      stage.join();
    } catch (CompletionException e) {
      setAside(record, e.getCause());
    } catch (CancellationException e) {
      setAside(record, e);
    }
  }

  private void setAside(ConsumerRecord<String, byte[]> record, Throwable failure) {
    deadLetters.setAside(record, failure);
    markDone(record);
  }

  private void markDone(ConsumerRecord<String, byte[]> record) {
    TopicPartition tp = partitionOf(record);
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

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      despiteWakeups(
          () -> {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            return null;
          });
    } catch (KafkaException e) {
      LOG.warn(
          "commit of {} (group {}) failed: those records may be handled again", offsets, group, e);
    }
  }

  /**
   * Runs a consumer call of a rebalance callback, or the final commit, to its end: a stage that
   * completes meanwhile, or {@link #close()}, wakes the consumer, and the call's work is needed all
   * the same.
   */
  private <R> R despiteWakeups(Supplier<R> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (WakeupException e) {
        if (attempt == WAKEUPS_TOLERATED) {
          throw e;
        }
      }
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static TopicPartition partitionOf(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  /** The record being handled asynchronously. */
  private static final class Held {
    final ConsumerRecord<String, byte[]> record;
    final CompletableFuture<?> stage;

    /** Its partition left this member meanwhile (and has not come back). */
    boolean partitionLost;

    Held(ConsumerRecord<String, byte[]> record, CompletableFuture<?> stage) {
      this.record = record;
      this.stage = stage;
    }
  }

  /** Runs on the loop's thread, inside {@code poll}. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>(done);
      handled.keySet().retainAll(partitions);
      commit(handled);
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // this member left the group: a commit would be refused
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (held != null) {
        consumer.pause(partitions);
        TopicPartition tp = partitionOf(held.record);
        if (held.partitionLost && partitions.contains(tp)) {
          // back with this member, which still handles it: its successors come next
          consumer.seek(tp, held.record.offset() + 1);
          held.partitionLost = false;
        }
      }
      if (commitPositionsOnAssign && !partitions.isEmpty()) {
        try {
          despiteWakeups(() -> commitStartPositions(partitions));
        } catch (KafkaException e) {
          // the member consumes all the same; only a record published while it is down is at risk
          LOG.warn(
              "could not commit the start positions of {} (group {}): a record published while"
                  + " this member is down may be missed",
              partitions,
              group,
              e);
        }
      }
      if (assigned.getCount() > 0) {
        assigned.countDown();
        onFirstAssignment.run();
      }
    }

    /** Queued records of those partitions go to their new owner, from the last commit. */
    private void forget(Collection<TopicPartition> partitions) {
      queue.removeIf(r -> partitions.contains(partitionOf(r)));
      partitions.forEach(done::remove);
      if (held != null && partitions.contains(partitionOf(held.record))) {
        held.partitionLost = true;
      }
    }

    /**
     * A group without offsets starts at the end; committing that position at once means that a
     * record published while this member is down is still delivered when it comes back.
     */
    private Void commitStartPositions(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
      Map<TopicPartition, OffsetAndMetadata> initial = new HashMap<>();
      for (TopicPartition tp : partitions) {
        if (committed.get(tp) == null) {
          initial.put(tp, new OffsetAndMetadata(consumer.position(tp)));
        }
      }
      if (!initial.isEmpty()) {
        consumer.commitSync(initial);
      }
      return null;
    }
  }

  /** Builds a {@link RecordLoop}. */
  public static final class Builder<T> {
    private final String topic;
    private final Decoder<T> decoder;
    private Consumer<String, byte[]> consumer;
    private Handler<T> handler;
    private DeadLetters deadLetters;
    private Predicate<ConsumerRecord<String, byte[]>> filter = r -> true;
    private boolean commitPositionsOnAssign;
    private Runnable onFirstAssignment = () -> {};

    private Builder(String topic, Decoder<T> decoder) {
      this.topic = topic;
      this.decoder = decoder;
    }

    /** The consumer to use: in a group, not subscribed yet, committing nothing by itself. */
    public Builder<T> consumer(Consumer<String, byte[]> consumer) {
      this.consumer = consumer;
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

    /** Records refused by the filter are committed without being decoded. */
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
