package io.kestra.upgrade.cli.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.cli.ApiCommand;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.cli.Table;
import io.kestra.upgrade.cli.api.ApiClient;
import io.kestra.upgrade.cli.watch.Figures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kestra-upgrade list}: the upgrades, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Lists upgrades, newest first.")
public final class ListCommand extends ApiCommand {

  @Option(names = "--cluster", paramLabel = "NAME", description = "only this cluster's")
  String cluster;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "at most N (1 to 500, default ${DEFAULT-VALUE})")
  int limit;

  @Override
  protected int run(ApiClient api) throws Exception {
    String query = "?limit=" + limit;
    if (cluster != null) {
      query += "&cluster=" + URLEncoder.encode(cluster, StandardCharsets.UTF_8);
    }
    JsonNode upgrades = api.get("/api/v1/upgrades" + query);
    if (json()) {
      printJson(upgrades);
      return ExitCodes.OK;
    }
    Table table =
        new Table("ID", "CLUSTER", "STATE", "FROM", "TO", "STRATEGY", "CREATED", "DURATION");
    for (JsonNode u : upgrades) {
      table.row(
          u.path("id").asText(),
          u.path("cluster").asText(),
          u.path("state").asText(),
          u.path("fromVersion").asText(),
          u.path("toVersion").asText(),
          u.path("strategy").asText(),
          u.path("createdAt").asText(null),
          u.path("durationMs").isNumber() ? Figures.seconds(u.path("durationMs").asLong()) : null);
    }
    table.print(out());
    return ExitCodes.OK;
  }
}
