package io.kestra.upgrade.cli.upgrade;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.cli.ApiCommand;
import io.kestra.upgrade.cli.ExitCodes;
import io.kestra.upgrade.cli.api.ApiClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * An operator's control of a running upgrade, {@code POST /api/v1/upgrades/{id}/<action>}: prints
 * the upgrade's state after it. A control the state does not allow exits 4 with the coordinator's
 * reason.
 */
public abstract class ControlCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "the upgrade's id")
  String id;

  /** The action's path segment. */
  abstract String action();

  /** The request's body, or {@code null}. */
  Object body() {
    return null;
  }

  @Override
  protected int run(ApiClient api) throws Exception {
    JsonNode upgrade = api.post("/api/v1/upgrades/" + id + "/" + action(), body());
    if (json()) {
      printJson(upgrade);
    } else {
      out()
          .printf(
              "upgrade %s: %s%s%n",
              upgrade.path("id").asText(),
              upgrade.path("state").asText(),
              upgrade.path("message").isTextual()
                  ? " (" + upgrade.path("message").asText() + ")"
                  : "");
      out().flush();
    }
    return ExitCodes.OK;
  }

  /** {@code pause ID}. */
  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pauses an upgrade once its steps in flight are over; resume continues it.")
  public static final class Pause extends ControlCommand {
    @Override
    String action() {
      return "pause";
    }
  }

  /** {@code resume ID}. */
  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resumes a paused upgrade.")
  public static final class Resume extends ControlCommand {
    @Override
    String action() {
      return "resume";
    }
  }

  /** {@code abort ID}. */
  @Command(
      name = "abort",
      mixinStandardHelpOptions = true,
      description =
          "Aborts an upgrade: nothing more is sent, the servers stay as they are (no rollback).")
  public static final class Abort extends ControlCommand {
    @Override
    String action() {
      return "abort";
    }
  }

  /** {@code rollback ID [--restore]}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Rolls an upgrade back to the previous version: while it runs or is paused, after it"
              + " failed, or after it succeeded with --restore.")
  public static final class Rollback extends ControlCommand {

    @Option(
        names = "--restore",
        description =
            "restore the backup taken before the migration (needed after a SUCCEEDED upgrade;"
                + " drops what was written since)")
    boolean restore;

    @Override
    String action() {
      return "rollback";
    }

    @Override
    Object body() {
      return Map.of("restore", restore);
    }
  }
}
