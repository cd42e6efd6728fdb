package io.kestra.upgrade.cli.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.cli.ApiCommand;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.cli.Table;
import io.kestra.upgrade.cli.api.ApiClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kestra-upgrade agents}: the fleet as the coordinator hears it. */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    description =
        "Lists the agents: each Kestra server's kind, version, state, readiness, tasks in flight,"
            + " when last heard, driver and status.")
public final class AgentsCommand extends ApiCommand {

  @Option(names = "--cluster", paramLabel = "NAME", description = "only this cluster's")
  String cluster;

  @Override
  protected int run(ApiClient api) throws Exception {
    String query =
        cluster == null ? "" : "?cluster=" + URLEncoder.encode(cluster, StandardCharsets.UTF_8);
    JsonNode agents = api.get("/api/v1/agents" + query);
    if (json()) {
      printJson(agents);
      return ExitCodes.OK;
    }
    Table table =
        new Table(
            "AGENT", "VERSION", "STATE", "READY", "IN-FLIGHT", "LAST SEEN", "DRIVER", "STATUS");
    for (JsonNode a : agents) {
      JsonNode c = a.path("component");
      table.row(
          a.path("agentId").asText(),
          c.path("version").asText(null),
          c.path("state").asText(null),
          c.path("ready").asBoolean() ? "yes" : "no",
          c.path("inFlightTasks").asText(null),
          a.path("lastSeen").asText(null),
          a.path("driver").asText(null),
          a.path("lost").asBoolean() ? "LOST" : a.path("status").asText(null));
    }
    table.print(out());
    return ExitCodes.OK;
  }
}
