package io.kestra.sim.cli;

import io.kestra.upgrade.common.ComponentKind;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses Kestra's command line (the part the simulator implements): {@code server
 * executor|worker|scheduler|webserver|indexer|standalone}, {@code sys database migrate} and {@code
 * --version}, with the options of Kestra's picocli commands ({@code -c/--config}, {@code
 * -t/--thread}, {@code --worker-thread}, {@code --port}, {@code -l/--log-level}, {@code -v}, {@code
 * -p/--plugins}, {@code --internal-log}). Options take {@code --opt value} or {@code --opt=value}.
 */
public final class CommandLineParser {

  /** The usage text. */
  public static final String USAGE =
      String.join(
          System.lineSeparator(),
          "Usage: kestra [-hV] [COMMAND]",
          "  server executor|worker|scheduler|webserver|indexer|standalone [-c FILE] [--port N]",
          "         worker: [-t N|--thread N]   standalone: [--worker-thread N] (0: no worker)",
          "  sys database migrate [-c FILE]",
          "  --version");

  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  private static final int DEFAULT_WORKER_THREADS = 4;

  private CommandLineParser() {}

  /**
   * Parses the arguments that follow the launcher's {@code --sim-version}.
   *
   * @throws UsageException for anything Kestra would refuse
   */
  public static Invocation parse(String... args) {
    Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
    if (rest.isEmpty()) {
      return new Invocation(Action.HELP, null, null, 0, OptionalInt.empty(), "INFO");
    }
    String first = rest.pop();
    return switch (first) {
      case "--version", "-V" -> simple(Action.VERSION);
      case "--help", "-h" -> simple(Action.HELP);
      case "server" -> server(rest);
      case "sys" -> sys(rest);
      default -> throw new UsageException("Unknown command '" + first + "'");
    };
  }

  private static Invocation simple(Action action) {
    return new Invocation(action, null, null, 0, OptionalInt.empty(), "INFO");
  }

  private static Invocation server(Deque<String> rest) {
    if (rest.isEmpty()) {
      throw new UsageException("Missing server type: " + kinds());
    }
    String name = rest.pop();
    ComponentKind kind;
    try {
      kind = ComponentKind.fromWire(name);
    } catch (IllegalArgumentException e) {
      throw new UsageException("Unknown server type '" + name + "': " + kinds());
    }
    Options o = Options.parse(rest, kind);
    int threads =
        switch (kind) {
          case WORKER -> o.threads == null ? DEFAULT_WORKER_THREADS : o.threads;
          case STANDALONE -> o.workerThreads == null ? DEFAULT_WORKER_THREADS : o.workerThreads;
          default -> 0;
        };
    if (kind == ComponentKind.WORKER && threads < 1) {
      throw new UsageException("A worker needs at least one thread (-t N)");
    }
    return new Invocation(Action.SERVER, kind, o.config, threads, o.port, o.level);
  }

  private static Invocation sys(Deque<String> rest) {
    if (rest.size() < 2 || !rest.pop().equals("database") || !rest.pop().equals("migrate")) {
      throw new UsageException("Unknown sys command: only 'sys database migrate' is supported");
    }
    Options o = Options.parse(rest, null);
    if (o.port.isPresent() || o.threads != null || o.workerThreads != null) {
      throw new UsageException("'sys database migrate' takes only -c FILE and logging options");
    }
    return new Invocation(Action.MIGRATE, null, o.config, 0, OptionalInt.empty(), o.level);
  }

  private static String kinds() {
    return "expected executor, worker, scheduler, webserver, indexer or standalone";
  }

  /** The options after the command, checked against the command's kind. */
  private static final class Options {
    Path config;
    Integer threads;
    Integer workerThreads;
    OptionalInt port = OptionalInt.empty();
    String level = "INFO";

    static Options parse(Deque<String> rest, ComponentKind kind) {
      Options o = new Options();
      int verbose = 0;
      while (!rest.isEmpty()) {
        String arg = rest.pop();
        String name = arg;
        String inline = null;
        if (arg.startsWith("--") && arg.contains("=")) {
          name = arg.substring(0, arg.indexOf('='));
          inline = arg.substring(arg.indexOf('=') + 1);
        }
        switch (name) {
          case "-c", "--config" -> o.config = Path.of(value(name, inline, rest));
          case "-l", "--log-level" -> o.level = level(value(name, inline, rest));
          case "-v", "--verbose" -> verbose++;
          case "-vv" -> verbose += 2;
          case "--internal-log" -> {
            // accepted for compatibility: the simulator has no separate internal log
          }
          case "-p", "--plugins" -> value(name, inline, rest); // no plugins in the simulator
          case "--port" -> o.port = OptionalInt.of(number(name, value(name, inline, rest), 0));
          case "-t", "--thread" -> {
            only(kind, ComponentKind.WORKER, name);
            o.threads = number(name, value(name, inline, rest), 1);
          }
          case "--worker-thread" -> {
            only(kind, ComponentKind.STANDALONE, name);
            o.workerThreads = number(name, value(name, inline, rest), 0);
          }
          default -> throw new UsageException("Unknown option: '" + arg + "'");
        }
      }
      if (verbose == 1) {
        o.level = "DEBUG";
      } else if (verbose > 1) {
        o.level = "TRACE";
      }
      if (kind == null && o.port.isPresent()) {
        throw new UsageException("--port applies to servers only");
      }
      return o;
    }

    private static void only(ComponentKind actual, ComponentKind expected, String option) {
      if (actual != expected) {
        throw new UsageException(
            "Unknown option: '"
                + option
                + "' (only for server "
                + expected.name().toLowerCase(Locale.ROOT)
                + ")");
      }
    }

    private static String value(String name, String inline, Deque<String> rest) {
      if (inline != null) {
        return inline;
      }
      if (rest.isEmpty()) {
        throw new UsageException("Missing required parameter for option '" + name + "'");
      }
      return rest.pop();
    }

    private static int number(String name, String text, int min) {
      try {
        int n = Integer.parseInt(text);
        if (n < min) {
          throw new UsageException("Option '" + name + "' must be >= " + min + ": " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new UsageException("Invalid value for option '" + name + "': '" + text + "'");
      }
    }

    private static String level(String text) {
      String upper = text.toUpperCase(Locale.ROOT);
      if (!LEVELS.contains(upper)) {
        throw new UsageException("Invalid value for option '--log-level': '" + text + "'");
      }
      return upper;
    }
  }
}
