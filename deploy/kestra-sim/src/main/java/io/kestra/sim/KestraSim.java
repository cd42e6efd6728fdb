package io.kestra.sim;

import io.kestra.sim.cli.Action;
import io.kestra.sim.cli.CommandLineParser;
import io.kestra.sim.cli.Invocation;
import io.kestra.sim.cli.UsageException;
import io.kestra.sim.config.ConfigException;
import io.kestra.sim.config.ConfigLoader;
import io.kestra.sim.config.Settings;
import io.kestra.sim.config.SimConfig;
import io.kestra.sim.fault.Faults;
import io.kestra.sim.log.SimLogging;
import io.kestra.sim.server.MigrateCommand;
import io.kestra.sim.server.SimServer;
import io.kestra.sim.version.SimVersion;
import io.kestra.sim.version.UnknownVersionException;
import io.kestra.sim.version.VersionCatalog;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Entry point of a simulated Kestra binary, started by a launcher that {@link Install} wrote:
 * {@code KestraSim --sim-version <version> <kestra arguments>}.
 *
 * <p>Exit codes: 0 success (and after a graceful SIGTERM), 1 failure (unknown version, bad
 * configuration, taken port, database or migration failure, simulated crash), 2 usage error.
 */
public final class KestraSim {

  /** The launcher's first argument. */
  public static final String SIM_VERSION = "--sim-version";

  private KestraSim() {}

  /** Runs and exits with the command's code. */
  public static void main(String[] args) {
    SimLogging.selectLogManager();
    System.exit(run(args, Instant.now()));
  }

  /**
   * Runs a command line; returns its exit code (a started server does not return).
   *
   * @param startedAt when the process started, for the startup delay
   */
  static int run(String[] args, Instant startedAt) {
    if (args.length < 2 || !args[0].equals(SIM_VERSION)) {
      System.err.println(
          "kestra-sim must be started through its launcher: missing " + SIM_VERSION + " <version>");
      return 1;
    }
    SimVersion version;
    try {
      version = VersionCatalog.resolve(args[1]);
    } catch (UnknownVersionException e) {
      System.err.println(e.getMessage());
      return 1;
    }
    Invocation invocation;
    try {
      invocation = CommandLineParser.parse(Arrays.copyOfRange(args, 2, args.length));
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      System.err.println(CommandLineParser.USAGE);
      return 2;
    }
    return switch (invocation.action()) {
      case VERSION -> print(version.toString());
      case HELP -> print(CommandLineParser.USAGE);
      case MIGRATE, SERVER -> runWithConfig(version, invocation, startedAt);
    };
  }

  private static int runWithConfig(SimVersion version, Invocation invocation, Instant startedAt) {
    SimLogging.install(invocation.logLevel());
    Logger log = Logger.getLogger(KestraSim.class.getName());
    Settings settings;
    try {
      Map<String, String> cli =
          invocation.port().isPresent()
              ? Map.of("micronaut.server.port", Integer.toString(invocation.port().getAsInt()))
              : Map.of();
      SimConfig config = ConfigLoader.load(invocation.config(), System.getProperties(), cli);
      settings = Settings.from(config, System.getenv(Settings.FAULTS_ENV));
    } catch (ConfigException e) {
      log.severe(e.getMessage());
      return 1;
    }
    Faults faults = new Faults(settings.simulation().faultsFile());
    if (invocation.action() == Action.MIGRATE) {
      return MigrateCommand.run(version, settings.datasource(), faults, System.out);
    }
    return new SimServer(version, invocation, settings, faults, startedAt).run();
  }

  private static int print(String text) {
    System.out.println(text);
    return 0;
  }
}
