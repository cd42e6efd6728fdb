package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.coordinator.upgrade.UpgradeQueries;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /api/v1/upgrades/{id}/stream}: the events of one upgrade as Server-Sent Events, live —
 * the CloudEvents of the events topic, each with its {@code seq} as the SSE id. It starts with the
 * upgrade's current state, so that a late subscriber misses nothing, then sends what happens next;
 * a client that reconnects with {@code Last-Event-ID} gets every event after that one. A comment
 * every {@code coordinator.stream.heartbeat-interval} (15 s) keeps proxies from closing it.
 */
@Path("/api/v1/upgrades/{id}/stream")
public class UpgradeStreamResource {

  private final UpgradeQueries queries;
  private final Streams streams;

  public UpgradeStreamResource(UpgradeQueries queries, Streams streams) {
    this.queries = queries;
    this.streams = streams;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  @Operation(summary = "The events of one upgrade as Server-Sent Events, live")
  @APIResponse(responseCode = "200", description = "the stream: its state first, then its events")
  @APIResponse(responseCode = "400", description = "id is not a UUID, or Last-Event-ID no seq")
  @APIResponse(responseCode = "404", description = "no such upgrade")
  public Multi<OutboundSseEvent> upgrade(
      @PathParam("id") String id,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context Sse sse) {
    UpgradeResource.requireUuid(id);
    long from = streams.from(lastEventId);
    UpgradeRun run = queries.find(id).orElseThrow(() -> UpgradeResource.notFound(id));
    return streams.of(sse, List.of(run), from, id, null);
  }
}
