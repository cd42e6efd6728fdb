package io.kestra.upgrade.cli.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.cli.ApiCommand;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.cli.Table;
import io.kestra.upgrade.cli.api.ApiClient;
import io.kestra.upgrade.cli.watch.Figures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kestra-upgrade show ID}: one upgrade, its figures and every step. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Shows one upgrade: its state, phases with durations, and every step.")
public final class ShowCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "the upgrade's id")
  String id;

  @Override
  protected int run(ApiClient api) throws Exception {
    JsonNode upgrade = api.get("/api/v1/upgrades/" + id + "?eventsLimit=1");
    if (json()) {
      printJson(upgrade);
      return ExitCodes.OK;
    }
    out()
        .printf(
            "upgrade %s: %s (%s), created %s%n",
            upgrade.path("id").asText(),
            upgrade.path("cluster").asText(),
            upgrade.path("strategy").asText(),
            upgrade.path("createdAt").asText());
    Figures.print(upgrade, out());
    Table steps = new Table("SEQ", "PHASE", "COMMAND", "AGENT", "STATE", "DURATION", "RESULT");
    for (JsonNode s : upgrade.path("steps")) {
      steps.row(
          s.path("seq").asText(),
          s.path("phase").asText(),
          s.path("type").asText(),
          s.path("agentId").asText(),
          s.path("state").asText(),
          s.path("durationMs").isNumber() ? Figures.seconds(s.path("durationMs").asLong()) : null,
          s.path("reason").isTextual()
              ? s.path("reason").asText() + " " + s.path("message").asText("")
              : s.path("result").isObject() && !s.path("result").isEmpty()
                  ? s.path("result").toString()
                  : null);
    }
    steps.print(out());
    return ExitCodes.OK;
  }
}
