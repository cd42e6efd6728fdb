package io.kestra.upgrade.coordinator.outbox;

import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.kafka.Channels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka through the {@code commands} and {@code events} channels, in id
 * order, and marks the rows sent in the transaction that locked them, once the broker has
 * acknowledged every record of the batch ({@code acks=all}: the channels' emitters complete a send
 * only then). Woken at once after a commit that wrote rows ({@link #wake()}), so a step does not
 * wait for a polling tick; it also looks every second, for rows a crash left behind.
 *
 * <p>A crash between the send and the commit leaves the rows unsent: they are published again with
 * the same content (the same commandId), which consumers recognise. The idempotent producer keeps
 * the records of one key in order.
 *
 * <p>It runs only where {@link #start()} is called: where upgrades are driven.
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final Tx tx;
  private final OutboxStore store;
  private final Topics topics;
  private final MutinyEmitter<byte[]> commands;
  private final MutinyEmitter<byte[]> events;
  private final Clock clock;
  private final int batchSize;
  private final Semaphore signal = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;

  public OutboxRelay(
      Tx tx,
      OutboxStore store,
      Topics topics,
      @Channel(Channels.COMMANDS) MutinyEmitter<byte[]> commands,
      @Channel(Channels.EVENTS) MutinyEmitter<byte[]> events,
      Clock clock,
      CoordinatorConfig config) {
    this.tx = tx;
    this.store = store;
    this.topics = topics;
    this.commands = commands;
    this.events = events;
    this.clock = clock;
    this.batchSize = config.relayBatchSize();
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Starts the relay's thread. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the relay's thread; unsent rows stay for the next start. */
  public void stop() {
    running = false;
    signal.release();
    Thread t;
    synchronized (this) {
      t = thread;
      thread = null;
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(SEND_TIMEOUT_SECONDS + 5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Publish now: rows were just committed. */
  public void wake() {
    signal.release();
  }

  private void loop() {
    while (running) {
      try {
        signal.tryAcquire(1, TimeUnit.SECONDS);
        signal.drainPermits();
        while (running && publishBatch() == batchSize) {
          // a full batch: more rows may be waiting
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("outbox relay failed; the rows stay unsent and are retried", e);
        pause();
      }
    }
  }

  private int publishBatch() {
    return tx.run(
        c -> {
          List<OutboxStore.Row> rows = store.lockUnsent(c, batchSize);
          if (rows.isEmpty()) {
            return 0;
          }
          // subscribed one by one, in id order: the emitters hand the records to the producer in
          // that order
          List<CompletableFuture<Void>> sends = new ArrayList<>();
          for (OutboxStore.Row row : rows) {
            sends.add(send(row.record()).subscribeAsCompletionStage());
          }
          List<Long> ids = new ArrayList<>();
          for (int i = 0; i < rows.size(); i++) {
            await(sends.get(i), rows.get(i).id());
            ids.add(rows.get(i).id());
          }
          store.markSent(c, ids, clock.instant());
          return rows.size();
        });
  }

  private Uni<Void> send(OutboxRecord record) {
    RecordHeaders headers = new RecordHeaders();
    record.headers().forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
    OutgoingKafkaRecordMetadata<String> metadata =
        OutgoingKafkaRecordMetadata.<String>builder()
            .withTopic(record.topic())
            .withKey(record.key())
            .withHeaders(headers)
            .build();
    return emitterFor(record.topic())
        .sendMessage(Message.of(record.payload(), Metadata.of(metadata)));
  }

  private MutinyEmitter<byte[]> emitterFor(String topic) {
    if (topic.equals(topics.commands())) {
      return commands;
    }
    if (topic.equals(topics.events())) {
      return events;
    }
    throw new IllegalStateException("no channel publishes to topic " + topic);
  }

  private static void await(CompletableFuture<Void> send, long rowId) {
    try {
      send.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing the outbox", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("publishing outbox row " + rowId + " failed", e);
    }
  }

  private void pause() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
