package io.kestra.upgrade.coordinator.outbox;

import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.db.Tx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka, in id order, and marks the rows sent in the same transaction that
 * locked them. Woken at once after a commit that wrote rows ({@link #wake()}), so a step does not
 * wait for a polling tick; it also looks every second, for rows a crash left behind.
 *
 * <p>A crash between the send and the commit leaves the rows unsent: they are published again with
 * the same content (the same commandId), which consumers recognise. The idempotent producer keeps
 * the records of one key in order.
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  private final Tx tx;
  private final OutboxStore store;
  private final Producer<String, byte[]> producer;
  private final Clock clock;
  private final int batchSize;
  private final Semaphore signal = new Semaphore(0);
  private volatile boolean running;
  private Thread thread;

  public OutboxRelay(
      Tx tx,
      OutboxStore store,
      @Named("outbox") Producer<String, byte[]> producer,
      Clock clock,
      CoordinatorConfig config) {
    this.tx = tx;
    this.store = store;
    this.producer = producer;
    this.clock = clock;
    this.batchSize = config.relayBatchSize();
  }

  /** Starts the relay's thread (once the topics exist). */
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
    Thread t = thread;
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
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
        sleepQuietly();
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
          List<Future<RecordMetadata>> sends = new ArrayList<>();
          for (OutboxStore.Row row : rows) {
            ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(row.topic(), row.key(), row.payload());
            row.headers()
                .forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            sends.add(producer.send(record));
          }
          producer.flush();
          List<Long> ids = new ArrayList<>();
          for (int i = 0; i < rows.size(); i++) {
            try {
              sends.get(i).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted while publishing the outbox", e);
            } catch (Exception e) {
              throw new IllegalStateException(
                  "publishing outbox row " + rows.get(i).id() + " failed", e);
            }
            ids.add(rows.get(i).id());
          }
          store.markSent(c, ids, clock.instant());
          return rows.size();
        });
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
