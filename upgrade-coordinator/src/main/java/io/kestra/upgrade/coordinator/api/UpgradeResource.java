package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.coordinator.upgrade.OperatorControl;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Starts, plans, shows and controls (pause, resume, abort, rollback) upgrades. */
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
   * cluster already has an active upgrade; 422 when preflight refuses. An allowed downgrade is the
   * rollback with a restore of the cluster's last upgrade, whose backup was taken on the target:
   * 202 with that upgrade, ROLLING_BACK.
   */
  @POST
  @RolesAllowed(Roles.OPERATOR)
  public Response start(UpgradeRequestBody body, UriInfo uri, @Context SecurityContext who) {
    UpgradeRequest request = validator.validate(body);
    UpgradeRun run = upgrades.start(request, operator(who));
    return Response.accepted(UpgradeView.of(run, null))
        .location(uri.getAbsolutePathBuilder().path(run.id()).build())
        .build();
  }

  /**
   * Pauses an upgrade: the steps in flight finish, nothing new is sent. 200 with the upgrade (also
   * when already paused); 409 when its state forbids it.
   */
  @POST
  @Path("/{id}/pause")
  @RolesAllowed(Roles.OPERATOR)
  @Operation(summary = "Pause: the steps in flight finish, nothing new is sent")
  @APIResponse(responseCode = "200", description = "the upgrade, PAUSED")
  @APIResponse(responseCode = "404", description = "no such upgrade")
  @APIResponse(responseCode = "409", description = "not RUNNING (nor PAUSED)")
  public UpgradeView pause(@PathParam("id") String id, @Context SecurityContext who) {
    return control(id, OperatorControl.Kind.PAUSE, false, who);
  }

  /** Resumes a paused upgrade. 200 with the upgrade (also when running); 409 otherwise. */
  @POST
  @Path("/{id}/resume")
  @RolesAllowed(Roles.OPERATOR)
  @Operation(summary = "Resume a PAUSED upgrade")
  @APIResponse(responseCode = "200", description = "the upgrade, RUNNING")
  @APIResponse(responseCode = "404", description = "no such upgrade")
  @APIResponse(responseCode = "409", description = "not PAUSED (nor RUNNING)")
  public UpgradeView resume(@PathParam("id") String id, @Context SecurityContext who) {
    return control(id, OperatorControl.Kind.RESUME, false, who);
  }

  /**
   * Aborts an upgrade or its rollback: nothing more is sent, the steps in flight finish, the
   * servers stay as they are and the upgrade says where each stands.
   */
  @POST
  @Path("/{id}/abort")
  @RolesAllowed(Roles.OPERATOR)
  @Operation(
      summary = "Abort: nothing more is sent; the servers stay as they are, and are reported")
  @APIResponse(responseCode = "200", description = "the upgrade, ABORTED")
  @APIResponse(responseCode = "404", description = "no such upgrade")
  @APIResponse(responseCode = "409", description = "already over (other than ABORTED)")
  public UpgradeView abort(@PathParam("id") String id, @Context SecurityContext who) {
    return control(id, OperatorControl.Kind.ABORT, false, who);
  }

  /**
   * Rolls an upgrade back: while it runs or is paused, after it FAILED, or after it SUCCEEDED with
   * {@code {"restore": true}} (the backup is restored, which drops what was written since).
   */
  @POST
  @Path("/{id}/rollback")
  @RolesAllowed(Roles.OPERATOR)
  @Operation(
      summary = "Roll back to the previous version",
      description =
          "Allowed while RUNNING or PAUSED (once the steps in flight are over), after FAILED, and"
              + " after SUCCEEDED only with {\"restore\": true}: the migrated schema is taken back"
              + " by restoring the backup taken before the migration, which drops what was"
              + " written since (a second backup keeps it). Never two rollbacks: a ROLLING_BACK"
              + " upgrade answers 200 as it is.")
  @APIResponse(responseCode = "200", description = "the upgrade, ROLLING_BACK")
  @APIResponse(responseCode = "404", description = "no such upgrade")
  @APIResponse(
      responseCode = "409",
      description =
          "ROLLED_BACK, ROLLBACK_FAILED or ABORTED; SUCCEEDED without restore; or another upgrade"
              + " of the cluster is active")
  public UpgradeView rollback(
      @PathParam("id") String id, RollbackBody body, @Context SecurityContext who) {
    boolean restore = body != null && Boolean.TRUE.equals(body.restore());
    return control(id, OperatorControl.Kind.ROLLBACK, restore, who);
  }

  /**
   * The body of a rollback request, optional.
   *
   * @param restore restore the backup of a SUCCEEDED upgrade
   */
  public record RollbackBody(Boolean restore) {}

  private static String operator(SecurityContext who) {
    return who == null || who.getUserPrincipal() == null
        ? "anonymous"
        : who.getUserPrincipal().getName();
  }

  private UpgradeView control(
      String id, OperatorControl.Kind kind, boolean restore, SecurityContext who) {
    requireUuid(id);
    UpgradeRun run =
        upgrades
            .control(id, new OperatorControl(kind, restore, operator(who)))
            .orElseThrow(() -> notFound(id));
    return UpgradeView.of(run, null);
  }

  static void requireUuid(String id) {
    try {
      UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(List.of("id: '" + id + "' is not an upgrade id (a UUID)"));
    }
  }

  static ApiException notFound(String id) {
    return new ApiException(404, "NOT_FOUND", "no upgrade " + id, List.of());
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
    requireUuid(id);
    EventPaging paging = EventPaging.of(eventsAfter, eventsLimit);
    UpgradeRun run = queries.find(id).orElseThrow(() -> notFound(id));
    return UpgradeView.of(run, queries.events(id, paging.after(), paging.limit()));
  }
}
