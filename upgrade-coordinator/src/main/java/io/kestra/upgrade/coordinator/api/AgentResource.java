package io.kestra.upgrade.coordinator.api;

import io.kestra.upgrade.coordinator.fleet.FleetService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

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
}
