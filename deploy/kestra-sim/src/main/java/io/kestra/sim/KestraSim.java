package io.kestra.sim;

import io.kestra.sim.cli.Cli;
import io.kestra.sim.cli.SimContext;
import io.kestra.sim.log.SimLogging;
import io.kestra.sim.version.SimVersion;
import io.kestra.sim.version.UnknownVersionException;
import io.kestra.sim.version.VersionCatalog;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of a simulated Kestra binary, started by a launcher that {@link Install} wrote:
 * {@code KestraSim --sim-version <version> <kestra arguments>}.
 *
 * <p>Exit codes, as Kestra's:
 *
 * <ul>
 *   <li>143 after an outside SIGTERM: the shutdown hook stops the server and never calls exit, so
 *       the JVM ends with the signal's status;
 *   <li>0 after a command that ends normally ({@code --help}, {@code -V}, {@code sys database
 *       migrate}), and after a server that terminated itself (evicted by the liveness coordinator):
 *       Kestra's {@code App} then calls {@code System.exit(0)};
 *   <li>1 for a failed start (bad configuration, taken port, database or migration failure), an
 *       error in the command (a bad {@code --worker-group}), and a usage error of a version before
 *       1.2, whose parse error escapes {@code main} as an uncaught exception;
 *   <li>2 for a usage error from 1.2 on (picocli's own handling);
 *   <li>1 also when the launcher names a version the simulator does not know.
 * </ul>
 */
public final class KestraSim {

  /** The launcher's first argument. */
  public static final String SIM_VERSION = "--sim-version";

  private KestraSim() {}

  /** Runs and exits with the command's code. */
  public static void main(String[] args) {
    SimLogging.selectLogManager();
    System.exit(run(args, Instant.now(), System.getenv()));
  }

  /**
   * Runs a command line; returns its exit code. A started server returns only when it terminated
   * itself (0) or failed to start; after SIGTERM the process ends in the shutdown hook.
   *
   * @param startedAt when the process started, for the startup delay
   * @param environment the process environment
   * @throws CommandLine.ParameterException a usage error of a version before 1.2: as in Kestra, it
   *     escapes {@code main}
   */
  static int run(String[] args, Instant startedAt, Map<String, String> environment) {
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
    String[] kestraArgs = Arrays.copyOfRange(args, 2, args.length);
    SimContext context = new SimContext(version, startedAt, environment);
    if (!version.reportsUsageErrors()) {
      // Kestra < 1.2 parses once outside picocli's execute, to build its application context
      Cli.commandLine(context).parseArgs(kestraArgs);
    }
    return Cli.commandLine(context).execute(kestraArgs);
  }
}
