package io.kestra.upgrade.cli.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.cli.ApiCommand;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.cli.Table;
import io.kestra.upgrade.cli.api.ApiClient;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kestra-upgrade plan}: what an upgrade would do, executing nothing — preflight's findings,
 * the steps phase by phase, and the estimate from past upgrades. Exits 4 when preflight would
 * refuse it.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Shows the steps an upgrade would run and what preflight finds; runs nothing.")
public final class PlanCommand extends ApiCommand {

  @Mixin RequestOptions request;

  @Override
  protected int run(ApiClient api) throws Exception {
    JsonNode plan = api.post("/api/v1/upgrades/plan", request.body());
    if (json()) {
      printJson(plan);
    } else {
      print(plan, out());
    }
    return plan.path("executable").asBoolean() ? ExitCodes.OK : ExitCodes.REFUSED;
  }

  static void print(JsonNode plan, PrintWriter out) {
    out.printf(
        "plan: %s %s → %s, %s%n",
        plan.path("cluster").asText(),
        plan.path("fromVersion").asText(),
        plan.path("toVersion").asText(),
        plan.path("executable").asBoolean()
            ? "can run"
            : "REFUSED by preflight (the errors below say why)");
    for (JsonNode f : plan.path("findings")) {
      out.printf(
          "  %-7s %s: %s%n",
          f.path("severity").asText().toLowerCase(Locale.ROOT),
          f.path("code").asText(),
          f.path("message").asText());
    }
    Table steps = new Table("SEQ", "PHASE", "COMMAND", "AGENT", "TIMEOUT", "ESTIMATE");
    for (JsonNode s : plan.path("steps")) {
      steps.row(
          s.path("seq").asText(),
          s.path("phase").asText(),
          s.path("type").asText(),
          s.path("agentId").asText(),
          s.path("timeout").asText(null),
          s.path("estimate").asText(null));
    }
    steps.print(out);
    JsonNode total = plan.path("estimate").path("total");
    if (!total.isMissingNode() && !total.isNull()) {
      out.printf(
          "estimate: %s expected, at most %s%n",
          total.path("expected").asText("unknown"), total.path("atMost").asText("unknown"));
    }
    out.flush();
  }
}
