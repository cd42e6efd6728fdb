package io.kestra.sim.cli;

import io.kestra.sim.config.Settings;
import io.kestra.sim.fault.Faults;
import io.kestra.sim.server.ServerRequest;
import io.kestra.sim.server.SimServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import picocli.CommandLine.Option;

/**
 * A {@code kestra server <kind>} command: {@code --port} (as Kestra, it sets {@code
 * micronaut.server.port} above every configuration source), then the server runs until SIGTERM.
 *
 * <p>Options Kestra has but the simulator does not implement are declared (so that {@code --help}
 * reads as Kestra's) and refused when used: the command exits 1 naming them.
 */
abstract class AbstractServerCommand extends AbstractCommand {

  private static final Logger LOG = Logger.getLogger(AbstractServerCommand.class.getName());

  @Option(
      names = {"--port"},
      description = "the port to bind")
  private Integer serverPort;

  AbstractServerCommand(SimContext context) {
    super(context);
  }

  /** Kestra's default worker threads: four per available processor. */
  static int defaultWorkerThread() {
    return Runtime.getRuntime().availableProcessors() * 4;
  }

  /** The server to run. */
  protected abstract ServerRequest request();

  /** The options given that the simulator does not implement (each as written on the line). */
  protected List<String> notSimulated() {
    return List.of();
  }

  /** What this command forces above every configuration source, besides {@code --port}. */
  protected Map<String, String> propertiesOverrides() {
    return Map.of();
  }

  /** Adds {@code option} to {@code refused} when its value is set. */
  static void refuseIfSet(List<String> refused, String option, Object value) {
    boolean set;
    if (value instanceof List<?> list) {
      set = !list.isEmpty();
    } else if (value instanceof Boolean flag) {
      set = flag;
    } else {
      set = value != null;
    }
    if (set) {
      refused.add(option);
    }
  }

  @Override
  public final Integer call() {
    startLogger();
    List<String> refused = new ArrayList<>(notSimulated());
    if (!refused.isEmpty()) {
      LOG.severe(
          "kestra-sim does not implement "
              + String.join(", ", refused)
              + ": refusing to start rather than ignore it");
      return 1;
    }
    ServerRequest request = request();
    if (!pluginsAcceptable()) {
      return 1;
    }
    Map<String, String> overrides = new HashMap<>(propertiesOverrides());
    if (serverPort != null) {
      overrides.put("micronaut.server.port", Integer.toString(serverPort));
    }
    Optional<Settings> settings = settings(overrides);
    if (settings.isEmpty()) {
      return 1;
    }
    Faults faults = new Faults(settings.get().simulation().faultsFile());
    return new SimServer(context.version(), request, settings.get(), faults, context.startedAt())
        .run();
  }
}
