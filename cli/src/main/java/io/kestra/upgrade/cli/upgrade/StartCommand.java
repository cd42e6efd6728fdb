package io.kestra.upgrade.cli.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.cli.ApiCommand;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.cli.api.ApiClient;
import io.kestra.upgrade.cli.api.EventFeed;
import io.kestra.upgrade.cli.watch.Follower;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kestra-upgrade start}: starts an upgrade and, unless {@code --detach}, follows it live to
 * its end, exiting with the code of its end.
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Starts an upgrade, then follows it live until it ends (as watch does).",
      "Exit codes: 0 succeeded, 2 failed (or aborted, or its rollback failed), 3 rolled back,"
          + " 4 refused (validation or preflight), 5 coordinator unreachable or not authorised."
    })
public final class StartCommand extends ApiCommand {

  @Mixin RequestOptions request;

  @Option(
      names = "--detach",
      description = "print the upgrade's id and return at once, without following it")
  boolean detach;

  @Override
  protected int run(ApiClient api) throws Exception {
    JsonNode started = api.post("/api/v1/upgrades", request.body());
    String id = started.path("id").asText();
    if (detach) {
      if (json()) {
        printJson(started);
      } else {
        out().println(id);
        out().flush();
      }
      return ExitCodes.OK;
    }
    if (!json()) {
      out()
          .printf(
              "▶ upgrade %s started: %s %s → %s (watch again with: kestra-upgrade watch %s)%n",
              id,
              started.path("cluster").asText(),
              started.path("fromVersion").asText(),
              started.path("toVersion").asText(),
              id);
    }
    return new Follower(api, EventFeed.standard(api)).follow(id, out(), terminal(), json());
  }
}
