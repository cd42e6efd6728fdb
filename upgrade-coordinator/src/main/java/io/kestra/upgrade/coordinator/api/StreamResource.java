package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.coordinator.upgrade.UpgradeQueries;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * {@code GET /api/v1/stream[?cluster=NAME]}: the events of every upgrade of a cluster (of every
 * cluster without one) as Server-Sent Events, live, as {@link UpgradeStreamResource} sends one
 * upgrade's; it starts with the last upgrade of each cluster concerned.
 */
@Path("/api/v1/stream")
public class StreamResource {

  private final UpgradeQueries queries;
  private final Streams streams;

  public StreamResource(UpgradeQueries queries, Streams streams) {
    this.queries = queries;
    this.streams = streams;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @RestStreamElementType(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  @Operation(
      summary =
          "The events of every upgrade of a cluster (of every cluster without one) as Server-Sent"
              + " Events, live")
  @APIResponse(
      responseCode = "200",
      description = "the stream: the last upgrade of each cluster first, then the events")
  @APIResponse(responseCode = "400", description = "Last-Event-ID is not an event's seq")
  public Multi<OutboundSseEvent> cluster(
      @QueryParam("cluster") String cluster,
      @HeaderParam("Last-Event-ID") String lastEventId,
      @Context Sse sse) {
    long from = streams.from(lastEventId);
    Map<String, UpgradeRun> latest = new LinkedHashMap<>();
    for (UpgradeRun run : queries.list(cluster, 500)) {
      latest.putIfAbsent(run.spec().cluster(), run);
    }
    return streams.of(sse, List.copyOf(latest.values()), from, null, cluster);
  }
}
