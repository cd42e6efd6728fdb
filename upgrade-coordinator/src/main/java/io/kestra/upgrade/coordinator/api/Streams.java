package io.kestra.upgrade.coordinator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kestra.upgrade.common.UpgradeEvent;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.upgrade.UpgradeQueries;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What the live event streams share ({@link StreamResource}, {@link UpgradeStreamResource}): where
 * a stream starts, its first events (the current state, {@code io.kestra.upgrade.upgrade.snapshot}:
 * an upgrade as {@code GET /api/v1/upgrades/{id}} shows it), and the stream itself.
 */
@ApplicationScoped
class Streams {

  /** The type of the first events of a stream, the current state of each upgrade concerned. */
  static final String SNAPSHOT = UpgradeEvent.SNAPSHOT_TYPE;

  private final UpgradeQueries queries;
  private final CoordinatorConfig config;
  private final ObjectMapper json;
  private final Clock clock;

  Streams(UpgradeQueries queries, CoordinatorConfig config, ObjectMapper json, Clock clock) {
    this.queries = queries;
    this.config = config;
    this.json = json;
    this.clock = clock;
  }

  /**
   * The stream of {@code runs}' current state, then of the events after {@code from} that {@code
   * upgradeId} (or else {@code cluster}, or else nothing) selects.
   */
  Multi<OutboundSseEvent> of(
      Sse sse, List<UpgradeRun> runs, long from, String upgradeId, String cluster) {
    // the REST API's own mapper: a snapshot reads as GET /api/v1/upgrades/{id} does
    EventStream stream = new EventStream(sse, json, config.eventSource(), clock);
    List<OutboundSseEvent> first = new ArrayList<>();
    runs.forEach(
        run -> first.add(stream.unnumbered(SNAPSHOT, "upgrade", UpgradeView.of(run, null))));
    return stream.of(
        first,
        from,
        after -> queries.eventsAfter(upgradeId, cluster, after, EventStream.BATCH),
        config.stream().pollInterval(),
        config.stream().heartbeatInterval());
  }

  /**
   * Where a stream starts: after the client's last event when it reconnects, else after the last
   * event recorded now (read before the snapshot, so nothing between the two is missed).
   *
   * @throws ApiException 400 when {@code lastEventId} is no event's seq
   */
  long from(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return queries.lastEventSeq();
    }
    try {
      long seq = Long.parseLong(lastEventId.trim());
      if (seq < 0) {
        throw new NumberFormatException();
      }
      return seq;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          List.of("Last-Event-ID: '" + lastEventId + "' is not the id of an event of this stream"));
    }
  }
}
