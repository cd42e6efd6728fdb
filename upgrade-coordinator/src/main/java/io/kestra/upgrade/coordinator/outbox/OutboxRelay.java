package io.kestra.upgrade.coordinator.outbox;

import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.db.Tx;
import io.kestra.upgrade.coordinator.kafka.Channels;
import io.kestra.upgrade.coordinator.leader.LeaderElection;
import io.kestra.upgrade.coordinator.leader.LeaderWoken;
import io.kestra.upgrade.coordinator.leader.LeadershipChanged;
import io.kestra.upgrade.coordinator.leader.NotLeaderException;
import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka through the {@code commands} and {@code events} channels, in id
 * order. It runs only on the leader (started and stopped by {@link LeadershipChanged}), is woken at
 * once by commits that wrote rows (this instance's {@link #wake()}, any instance's {@code NOTIFY}
 * through {@link LeaderWoken}), and looks every second for rows a crash left behind.
 *
 * <ol>
 *   <li>It reads a batch of pending rows in a short transaction of its own, and holds none while it
 *       waits for the broker: a frozen leader holds no lock that others would wait on.
 *   <li>A command whose upgrade has ended, or whose {@code expiresAt} has passed, is not sent: it
 *       is marked dropped (the agent would refuse it as expired anyway).
 *   <li>The others are handed to the channels in id order (the idempotent producer keeps the
 *       records of one key in order) and awaited: the emitters complete a send only once the broker
 *       acknowledged it on every replica ({@code acks=all}).
 *   <li>In one fenced transaction ({@link LeaderElection#fence}: it aborts if another instance
 *       leads by now), the sent rows are marked sent, the dropped ones dropped, and the rows the
 *       broker refused for good (a {@link KafkaException} that is not a {@link RetriableException}:
 *       too large, invalid topic, ...) marked failed with the reason, their consequences written by
 *       {@link RefusedRows}. The rows behind a refused one go on.
 *   <li>A send that failed for a reason that may pass (broker unreachable, time-out) leaves its row
 *       pending; the relay tries again after a back-off that doubles up to {@code
 *       coordinator.relay-max-backoff}.
 * </ol>
 *
 * <p>A crash between a send and its mark, or an old leader sending what the new one sends too,
 * publishes a row twice with the same content (the same messageId and commandId), which the
 * consumers recognise.
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final long SEND_TIMEOUT_SECONDS = 45;

  private final Tx tx;
  private final OutboxStore store;
  private final Topics topics;
  private final MutinyEmitter<byte[]> commands;
  private final MutinyEmitter<byte[]> events;
  private final Clock clock;
  private final LeaderElection leader;
  private final RefusedRows refusals;
  private final int batchSize;
  private final Duration maxBackoff;
  private final Semaphore signal = new Semaphore(0);
  private volatile CountDownLatch stopping = new CountDownLatch(0);
  private Thread thread;

  /** What became of one row in a pass. */
  private enum Outcome {
    SENT,
    REFUSED,
    RETRY
  }

  private record Sent(OutboxStore.Pending row, Outcome outcome, String reason) {}

  public OutboxRelay(
      Tx tx,
      OutboxStore store,
      Topics topics,
      @Channel(Channels.COMMANDS) MutinyEmitter<byte[]> commands,
      @Channel(Channels.EVENTS) MutinyEmitter<byte[]> events,
      Clock clock,
      LeaderElection leader,
      RefusedRows refusals,
      CoordinatorConfig config) {
    this.tx = tx;
    this.store = store;
    this.topics = topics;
    this.commands = commands;
    this.events = events;
    this.clock = clock;
    this.leader = leader;
    this.refusals = refusals;
    this.batchSize = config.relayBatchSize();
    this.maxBackoff = config.relayMaxBackoff();
  }

  void onLeadership(@Observes LeadershipChanged change) {
    if (change.leader()) {
      start();
    } else {
      stop();
    }
  }

  void onWoken(@Observes LeaderWoken woken) {
    wake();
  }

  void onStop(@Observes ShutdownEvent event) {
    stopAndWait();
  }

  /** Starts the relay's thread. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    stopping = new CountDownLatch(1);
    thread = new Thread(this::loop, "outbox-relay");
    thread.setDaemon(true);
    thread.start();
    LOG.info("outbox relay started");
  }

  /**
   * Stops the relay at once, without waiting for the sends in flight: whatever its thread would
   * still write is fenced off. Pending rows stay for the next leader.
   */
  public void stop() {
    halt();
  }

  private void stopAndWait() {
    Thread t = halt();
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(SEND_TIMEOUT_SECONDS + 5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized Thread halt() {
    Thread t = thread;
    if (t == null) {
      return null;
    }
    thread = null;
    stopping.countDown();
    signal.release();
    LOG.info("outbox relay stopped");
    return t;
  }

  /** Publish now: rows were just committed. */
  public void wake() {
    signal.release();
  }

  private void loop() {
    CountDownLatch mine = stopping;
    Duration backoff = Duration.ZERO;
    while (mine.getCount() > 0) {
      try {
        if (backoff.isZero()) {
          signal.tryAcquire(1, TimeUnit.SECONDS);
          signal.drainPermits();
        } else if (mine.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        boolean retry = false;
        int read;
        do {
          Pass pass = relayOnce(mine);
          read = pass.read;
          retry = pass.retry;
        } while (mine.getCount() > 0 && !retry && read == batchSize);
        backoff = retry ? next(backoff) : Duration.ZERO;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (NotLeaderException e) {
        LOG.infof("outbox relay stops: %s", e.getMessage());
        return;
      } catch (DatabaseUnavailableException e) {
        LOG.warnf(
            "outbox relay cannot reach the database; the rows stay pending: %s", e.getMessage());
        backoff = next(backoff);
      } catch (RuntimeException e) {
        LOG.error("outbox relay failed; the rows stay pending and are tried again", e);
        backoff = next(backoff);
      }
    }
  }

  private Duration next(Duration backoff) {
    Duration doubled = backoff.isZero() ? maxBackoff.dividedBy(10) : backoff.multipliedBy(2);
    return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
  }

  private record Pass(int read, boolean retry) {}

  private Pass relayOnce(CountDownLatch mine) {
    List<OutboxStore.Pending> rows = tx.run(c -> store.pending(c, batchSize));
    if (rows.isEmpty()) {
      return new Pass(0, false);
    }
    Instant now = clock.instant();
    List<Sent> outcomes = new ArrayList<>();
    List<OutboxStore.Pending> dropped = new ArrayList<>();
    List<String> dropReasons = new ArrayList<>();
    List<OutboxStore.Pending> sending = new ArrayList<>();
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (OutboxStore.Pending row : rows) {
      String drop = dropReason(row, now);
      if (drop != null) {
        dropped.add(row);
        dropReasons.add(drop);
      } else {
        // subscribed one by one, in id order: the emitters hand the records to the producer in
        // that order
        sending.add(row);
        sends.add(send(row.record()).subscribeAsCompletionStage());
      }
    }
    for (int i = 0; i < sending.size(); i++) {
      outcomes.add(await(sending.get(i), sends.get(i), mine));
    }
    Instant settledAt = clock.instant();
    boolean wrote =
        tx.run(
            c -> {
              leader.fence(c);
              store.markSent(
                  c,
                  outcomes.stream()
                      .filter(o -> o.outcome() == Outcome.SENT)
                      .map(o -> o.row().id())
                      .toList(),
                  settledAt);
              for (int i = 0; i < dropped.size(); i++) {
                store.markDropped(c, dropped.get(i).id(), dropReasons.get(i), settledAt);
              }
              boolean more = false;
              for (Sent o : outcomes) {
                if (o.outcome() == Outcome.REFUSED
                    && store.markFailed(c, o.row().id(), o.reason(), settledAt)) {
                  more |= refusals.refused(c, o.row(), o.reason(), settledAt);
                }
              }
              return more;
            });
    for (int i = 0; i < dropped.size(); i++) {
      OutboxStore.Pending row = dropped.get(i);
      LOG.infof(
          "outbox row %d (%s, key %s) dropped: %s",
          row.id(), row.record().topic(), row.record().key(), dropReasons.get(i));
    }
    for (Sent o : outcomes) {
      if (o.outcome() == Outcome.REFUSED) {
        LOG.errorf(
            "outbox row %d (%s, key %s, upgrade %s) refused by the broker for good, marked failed:"
                + " %s",
            o.row().id(),
            o.row().record().topic(),
            o.row().record().key(),
            o.row().record().upgradeId(),
            o.reason());
      }
    }
    if (wrote) {
      signal.release();
    }
    boolean retry = outcomes.stream().anyMatch(o -> o.outcome() == Outcome.RETRY);
    if (retry) {
      LOG.warnf(
          "outbox relay: %d row(s) not published for now (%s); trying again",
          outcomes.stream().filter(o -> o.outcome() == Outcome.RETRY).count(),
          outcomes.stream()
              .filter(o -> o.outcome() == Outcome.RETRY)
              .findFirst()
              .map(Sent::reason)
              .orElse(""));
    }
    return new Pass(rows.size(), retry);
  }

  /** Why a row is not to be sent any more, or {@code null} when it is to be sent. */
  private String dropReason(OutboxStore.Pending row, Instant now) {
    OutboxRecord record = row.record();
    if (!record.topic().equals(topics.commands())) {
      // an event says what happened, and is published even when its upgrade has ended since
      return null;
    }
    if (row.upgradeFinishedAt() != null) {
      return "its upgrade " + record.upgradeId() + " ended at " + row.upgradeFinishedAt();
    }
    if (record.expiresAt() != null && !now.isBefore(record.expiresAt())) {
      return "it expired at " + record.expiresAt() + " before it could be sent";
    }
    return null;
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

  /**
   * What became of a send: refused only when the broker (or its client, for a record it knows the
   * broker will refuse) says so for good; a local failure or a stop of the relay leaves the row for
   * a later try.
   */
  private Sent await(OutboxStore.Pending row, CompletableFuture<Void> send, CountDownLatch mine) {
    try {
      send.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new Sent(row, Outcome.SENT, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Sent(row, Outcome.RETRY, "interrupted");
    } catch (TimeoutException e) {
      return new Sent(row, Outcome.RETRY, "no answer within " + SEND_TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
      boolean forGood =
          mine.getCount() > 0
              && cause instanceof KafkaException
              && !(cause instanceof RetriableException)
              && !(cause instanceof InterruptException);
      if (!forGood && !(cause instanceof RetriableException)) {
        LOG.warnf(cause, "outbox row %d not published, tried again later", row.id());
      }
      return new Sent(row, forGood ? Outcome.REFUSED : Outcome.RETRY, reason);
    }
  }
}
