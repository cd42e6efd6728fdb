package io.kestra.sim.cli;

import io.kestra.sim.config.ConfigException;
import io.kestra.sim.config.ConfigLoader;
import io.kestra.sim.config.ConfigSources;
import io.kestra.sim.config.Settings;
import io.kestra.sim.log.SimLogging;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The options every Kestra command has (Kestra's {@code AbstractCommand}), and what they do here:
 *
 * <ul>
 *   <li>{@code -l/--log-level} and {@code -v/--verbose} set the level of flow loggers, and of
 *       Kestra's own loggers only with {@code --internal-log}; the simulator has no flows, so
 *       without {@code --internal-log} they change nothing, as on a real server's own lines;
 *   <li>{@code -c/--config}: a YAML file, default {@code ~/.kestra/config.yml}, ignored when
 *       missing (as Kestra does);
 *   <li>{@code -p/--plugins}: default {@code $KESTRA_PLUGINS_PATH}; the simulator loads no plugin,
 *       so a folder holding plugin jars is refused rather than silently not loaded.
 * </ul>
 */
@Command(
    versionProvider = VersionProvider.class,
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
abstract class AbstractCommand implements Callable<Integer> {

  private static final Logger LOG = Logger.getLogger(AbstractCommand.class.getName());

  protected final SimContext context;

  @Option(
      names = {"-v", "--verbose"},
      description = "Change log level. Multiple -v options increase the verbosity.",
      showDefaultValue = Visibility.NEVER)
  private boolean[] verbose = new boolean[0];

  @Option(
      names = {"-l", "--log-level"},
      description = "Change log level (values: ${COMPLETION-CANDIDATES})")
  private LogLevel logLevel = LogLevel.INFO;

  @Option(
      names = {"--internal-log"},
      description = "Change also log level for internal log")
  private boolean internalLog = false;

  @Option(
      names = {"-c", "--config"},
      description = "Path to a configuration file")
  private Path config = Paths.get(System.getProperty("user.home"), ".kestra/config.yml");

  @Option(
      names = {"-p", "--plugins"},
      description = "Path to plugins directory")
  private Path pluginsPath;

  AbstractCommand(SimContext context) {
    this.context = context;
    String plugins = context.env(SimContext.PLUGINS_PATH);
    this.pluginsPath = plugins == null ? null : Paths.get(plugins);
  }

  /** Sets up logging as Kestra's {@code -l}, {@code -v} and {@code --internal-log} ask. */
  protected final void startLogger() {
    LogLevel level = logLevel;
    if (verbose.length == 1) {
      level = LogLevel.DEBUG;
    } else if (verbose.length > 1) {
      level = LogLevel.TRACE;
    }
    SimLogging.install(internalLog ? level.name() : LogLevel.INFO.name());
  }

  /**
   * Whether the plugins folder can be honoured: the simulator has no plugin to load, so a folder
   * that holds some is refused (logged) rather than ignored.
   */
  protected final boolean pluginsAcceptable() {
    if (pluginsPath == null || !Files.isDirectory(pluginsPath)) {
      return true;
    }
    try (Stream<Path> files = Files.list(pluginsPath)) {
      List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).toList();
      if (jars.isEmpty()) {
        return true;
      }
      LOG.severe(
          "kestra-sim loads no plugins, but the plugins path "
              + pluginsPath
              + " holds "
              + jars.size()
              + " plugin jar(s): refusing to start without them");
      return false;
    } catch (IOException e) {
      LOG.severe("Cannot read the plugins path " + pluginsPath + ": " + e.getMessage());
      return false;
    }
  }

  /**
   * Reads the settings from every configuration source.
   *
   * @param overrides what the command forces (highest precedence)
   * @return the settings, or empty when the configuration is unusable (the reason is logged)
   */
  protected final Optional<Settings> settings(Map<String, String> overrides) {
    Optional<Path> file = Files.isRegularFile(config) ? Optional.of(config) : Optional.empty();
    try {
      ConfigSources sources =
          new ConfigSources(
              ConfigSources.micronautConfigFiles(context.env(SimContext.MICRONAUT_CONFIG_FILES)),
              System.getProperties(),
              file,
              overrides);
      return Optional.of(Settings.from(ConfigLoader.load(sources), context.env(SimContext.FAULTS)));
    } catch (ConfigException e) {
      // Kestra says nothing of a missing -c file; the stand-in names it where it is the likely
      // cause
      LOG.severe(
          e.getMessage()
              + (file.isEmpty() ? " (configuration file " + config + " not found)" : ""));
      return Optional.empty();
    }
  }
}
