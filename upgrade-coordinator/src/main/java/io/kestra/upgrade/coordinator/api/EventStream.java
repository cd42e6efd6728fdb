package io.kestra.upgrade.coordinator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kestra.upgrade.common.CloudEvents;
import io.kestra.upgrade.coordinator.upgrade.store.EventHistory;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * One subscriber's stream of recorded events as Server-Sent Events: first what it is given (the
 * current state), then every event recorded after {@code from}, read every poll interval, each with
 * its {@code seq} as the SSE id (a client reconnecting with {@code Last-Event-ID} goes on after
 * it), and a comment every heartbeat interval. Each event's data is the structured-mode CloudEvent
 * ({@code specversion, id, source, type, time, subject, datacontenttype, data}) of what went on the
 * events topic in binary mode.
 *
 * <p>Events are numbered when written and visible when committed, so one numbered lower may appear
 * after one numbered higher (two upgrades' transactions). The stream reads again from the highest
 * number it can trust: below it, every event it delivered is older than {@link #SETTLE}; events
 * above that mark already delivered are not sent twice.
 */
final class EventStream {

  /** How long an event may take from its number to its commit for the stream still to see it. */
  static final Duration SETTLE = Duration.ofSeconds(5);

  /** The most events one read returns: more wait for the next read. */
  static final int BATCH = 500;

  private final Sse sse;
  private final ObjectMapper json;
  private final String source;
  private final Clock clock;

  EventStream(Sse sse, ObjectMapper json, String source, Clock clock) {
    this.sse = sse;
    this.json = json;
    this.source = source;
    this.clock = clock;
  }

  /**
   * The stream.
   *
   * @param first sent first, as they are
   * @param from the seq after which events are sent
   * @param after the events after a seq, in seq order (a blocking read)
   */
  Multi<OutboundSseEvent> of(
      List<OutboundSseEvent> first,
      long from,
      LongFunction<List<EventHistory.Entry>> after,
      Duration poll,
      Duration heartbeat) {
    Cursor cursor = new Cursor(from);
    Multi<OutboundSseEvent> events =
        Multi.createFrom()
            .ticks()
            .every(poll)
            .onOverflow()
            .drop()
            .emitOn(Infrastructure.getDefaultWorkerPool())
            .onItem()
            .transformToIterable(tick -> cursor.next(after, clock.instant()))
            .map(this::event);
    Multi<OutboundSseEvent> beats =
        Multi.createFrom()
            .ticks()
            .every(heartbeat)
            .onOverflow()
            .drop()
            .map(tick -> sse.newEventBuilder().comment("heartbeat").build());
    return Multi.createBy()
        .concatenating()
        .streams(
            Multi.createFrom().iterable(first), Multi.createBy().merging().streams(events, beats));
  }

  /** A CloudEvent with no SSE id: it does not move a reconnecting client's place. */
  OutboundSseEvent unnumbered(String type, String subject, Object data) {
    ObjectNode ce = envelope("snapshot-" + clock.millis(), type, subject, clock.instant());
    ce.set("data", json.valueToTree(data));
    return sse.newEventBuilder()
        .mediaType(MediaType.APPLICATION_JSON_TYPE)
        .data(String.class, ce.toString())
        .build();
  }

  private OutboundSseEvent event(EventHistory.Entry e) {
    try {
      var data = json.readTree(e.data());
      ObjectNode ce = envelope(data.path("messageId").asText(), e.type(), e.subject(), e.at());
      ce.set("data", data);
      return sse.newEventBuilder()
          .id(Long.toString(e.seq()))
          .mediaType(MediaType.APPLICATION_JSON_TYPE)
          .data(String.class, ce.toString())
          .build();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private ObjectNode envelope(String id, String type, String subject, Instant at) {
    ObjectNode ce =
        json.createObjectNode()
            .put("specversion", CloudEvents.SPEC_VERSION)
            .put("id", id)
            .put("source", source)
            .put("type", type)
            .put("time", DateTimeFormatter.ISO_INSTANT.format(at));
    if (subject != null) {
      ce.put("subject", subject);
    }
    return ce.put("datacontenttype", CloudEvents.JSON);
  }

  /** Where one subscriber stands: see the class comment. */
  private static final class Cursor {
    private long floor;
    private final TreeMap<Long, Instant> delivered = new TreeMap<>();

    Cursor(long from) {
      this.floor = from;
    }

    synchronized List<EventHistory.Entry> next(
        LongFunction<List<EventHistory.Entry>> after, Instant now) {
      List<EventHistory.Entry> fresh = new ArrayList<>();
      for (EventHistory.Entry e : after.apply(floor)) {
        if (delivered.putIfAbsent(e.seq(), e.at()) == null) {
          fresh.add(e);
        }
      }
      Instant settled = now.minus(SETTLE);
      // the floor moves up over delivered events old enough that nothing lower can still appear
      var it = delivered.entrySet().iterator();
      while (it.hasNext()) {
        var entry = it.next();
        if (!entry.getValue().isBefore(settled)) {
          break;
        }
        floor = entry.getKey();
        it.remove();
      }
      return fresh;
    }
  }
}
