package io.kestra.upgrade.cli.upgrade;

import io.kestra.upgrade.cli.ApiCommand;
import io.kestra.upgrade.cli.api.ApiClient;
import io.kestra.upgrade.cli.api.EventFeed;
import io.kestra.upgrade.cli.watch.Follower;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kestra-upgrade watch ID}: attaches to an upgrade, running or over, shows where it stands
 * and follows it live to its end.
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "Follows an upgrade live until it ends: its phases with their durations, a progress bar per"
          + " draining worker, the step that failed and why, then its figures.",
      "Exit codes: 0 succeeded, 2 failed (or aborted, or its rollback failed), 3 rolled back,"
          + " 5 coordinator unreachable or not authorised."
    })
public final class WatchCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "the upgrade's id")
  String id;

  @Override
  protected int run(ApiClient api) throws Exception {
    return new Follower(api, EventFeed.standard(api)).follow(id, out(), terminal(), json());
  }
}
