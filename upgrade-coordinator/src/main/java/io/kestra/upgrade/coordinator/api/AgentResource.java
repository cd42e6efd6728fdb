package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.coordinator.fleet.FleetService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The fleet registry. */
@Path("/api/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
public class AgentResource {

  private final FleetService fleet;

  public AgentResource(FleetService fleet) {
    this.fleet = fleet;
  }

  /**
   * Every agent (of one cluster when {@code cluster} is given) with its server's state and LOST.
   */
  @GET
  @RolesAllowed({Roles.VIEWER, Roles.OPERATOR})
  public List<AgentView> list(@QueryParam("cluster") String cluster) {
    return fleet.agents(cluster == null || cluster.isBlank() ? null : cluster).stream()
        .map(a -> AgentView.of(a, fleet.isLost(a)))
        .toList();
  }

  /**
   * Forgets a retired agent (so that, LOST, it no longer blocks its cluster's preflight): 204; 404
   * when unknown; 400 for a malformed part of its id; 409 AGENT_BUSY while an upgrade that is not
   * over has a step for it. An agent that sends a heartbeat again is registered again.
   */
  @DELETE
  @Path("/{cluster}/{kind}/{instance}")
  @RolesAllowed(Roles.OPERATOR)
  @Operation(
      summary = "Forget a retired agent",
      description =
          "The agent is no longer listed and no longer counts in its cluster's preflight (a LOST"
              + " agent blocks it). Forgetting is not forbidding: an agent that sends a heartbeat"
              + " again is registered again.")
  @APIResponse(responseCode = "204", description = "forgotten")
  @APIResponse(responseCode = "400", description = "a part of the agent id is malformed")
  @APIResponse(responseCode = "404", description = "no such agent")
  @APIResponse(
      responseCode = "409",
      description =
          "AGENT_BUSY: an upgrade that is not over has a step for the agent (its id in details)")
  public void forget(
      @PathParam("cluster") String cluster,
      @PathParam("kind") String kind,
      @PathParam("instance") String instance) {
    AgentId id;
    try {
      id = new AgentId(cluster, ComponentKind.fromWire(kind), instance);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(List.of(e.getMessage()));
    }
    if (!fleet.forget(id)) {
      throw new ApiException(404, "NOT_FOUND", "no agent " + id, List.of());
    }
  }
}
