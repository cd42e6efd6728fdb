package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.coordinator.upgrade.UpgradeQueries;
import io.kestra.upgrade.coordinator.upgrade.UpgradeRequest;
import io.kestra.upgrade.coordinator.upgrade.UpgradeService;
import io.kestra.upgrade.coordinator.upgrade.engine.UpgradeRun;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Starts, plans and shows upgrades. */
@Path("/api/v1/upgrades")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UpgradeResource {

  private final UpgradeService upgrades;
  private final UpgradeQueries queries;
  private final RequestValidator validator;

  public UpgradeResource(
      UpgradeService upgrades, UpgradeQueries queries, RequestValidator validator) {
    this.upgrades = upgrades;
    this.queries = queries;
    this.validator = validator;
  }

  /**
   * Starts an upgrade: 202 with the upgrade and its Location; 400 on bad input; 409 when the
   * cluster already has an active upgrade; 422 when preflight refuses.
   */
  @POST
  @RolesAllowed(Roles.OPERATOR)
  public Response start(UpgradeRequestBody body, UriInfo uri) {
    UpgradeRequest request = validator.validate(body);
    UpgradeRun run = upgrades.start(request);
    return Response.accepted(UpgradeView.of(run, null))
        .location(uri.getAbsolutePathBuilder().path(run.id()).build())
        .build();
  }

  /** The steps an upgrade would run and what preflight finds; nothing is executed. */
  @POST
  @Path("/plan")
  @RolesAllowed(Roles.OPERATOR)
  public PlanView plan(UpgradeRequestBody body) {
    UpgradeRequest request = validator.validate(body);
    return PlanView.of(request.cluster(), upgrades.plan(request));
  }

  /** Upgrades, newest first. */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public List<UpgradeView> list(
      @QueryParam("cluster") String cluster, @QueryParam("limit") @DefaultValue("50") int limit) {
    if (limit < 1 || limit > 500) {
      throw ApiException.badRequest(List.of("limit: must be between 1 and 500"));
    }
    return queries.list(cluster, limit).stream().map(r -> UpgradeView.of(r, null)).toList();
  }

  /**
   * One upgrade with its phases, steps, timings and one page of its events: at most {@code
   * eventsLimit} after the event numbered {@code eventsAfter}, and where the next page starts.
   */
  @GET
  @Path("/{id}")
  @Operation(
      summary = "One upgrade, with its phases, steps, timings and a page of its events",
      description =
          "Events come in pages, oldest first: at most eventsLimit of them after the event whose"
              + " seq is eventsAfter. nextEventsAfter, absent on the last page, is the"
              + " eventsAfter of the next one. Progress events (step.progress) are published when"
              + " what the agent says changes and otherwise at most once per"
              + " coordinator.progress-event-interval, and pruned after"
              + " coordinator.retention.progress-events; transitions are kept forever.")
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  @APIResponse(responseCode = "200", description = "the upgrade")
  @APIResponse(
      responseCode = "400",
      description = "id is not a UUID, or eventsAfter or eventsLimit is out of range")
  @APIResponse(responseCode = "404", description = "no such upgrade")
  public UpgradeView get(
      @PathParam("id") String id,
      @Parameter(
              description =
                  "the seq of the last event seen (0, the default: from the first event); a whole"
                      + " number, 0 or more",
              schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
          @QueryParam("eventsAfter")
          String eventsAfter,
      @Parameter(
              description =
                  "how many events at most, from 1 to "
                      + EventPaging.MAX_LIMIT
                      + " (default "
                      + EventPaging.DEFAULT_LIMIT
                      + ")",
              schema =
                  @Schema(
                      type = SchemaType.INTEGER,
                      minimum = "1",
                      maximum = "" + EventPaging.MAX_LIMIT,
                      defaultValue = "" + EventPaging.DEFAULT_LIMIT))
          @QueryParam("eventsLimit")
          String eventsLimit) {
    try {
      UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(List.of("id: '" + id + "' is not an upgrade id (a UUID)"));
    }
    EventPaging paging = EventPaging.of(eventsAfter, eventsLimit);
    UpgradeRun run =
        queries
            .find(id)
            .orElseThrow(() -> new ApiException(404, "NOT_FOUND", "no upgrade " + id, List.of()));
    return UpgradeView.of(run, queries.events(id, paging.after(), paging.limit()));
  }
}
