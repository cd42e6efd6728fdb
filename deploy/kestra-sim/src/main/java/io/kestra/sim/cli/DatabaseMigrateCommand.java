package io.kestra.sim.cli;

import io.kestra.sim.config.Settings;
import io.kestra.sim.fault.Faults;
import io.kestra.sim.server.MigrateCommand;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;

/**
 * {@code kestra sys database migrate}: migrates whatever {@code
 * flyway.datasources.postgres.enabled} says (Kestra forces it on for this command), prints the
 * success line, exits 0.
 */
@Command(
    name = "migrate",
    description =
        "Force database schema migration.\n"
            + "Kestra uses Flyway to manage database schema evolution, this command will run Flyway"
            + " then exit.",
    mixinStandardHelpOptions = true)
final class DatabaseMigrateCommand extends AbstractCommand {

  DatabaseMigrateCommand(SimContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    startLogger();
    if (!pluginsAcceptable()) {
      return 1;
    }
    Optional<Settings> settings = settings(Map.of("flyway.datasources.postgres.enabled", "true"));
    if (settings.isEmpty()) {
      return 1;
    }
    Faults faults = new Faults(settings.get().simulation().faultsFile());
    return MigrateCommand.run(
        context.version(),
        settings.get().datasource(),
        faults,
        settings.get().simulation().migrationDuration(),
        System.out);
  }
}
