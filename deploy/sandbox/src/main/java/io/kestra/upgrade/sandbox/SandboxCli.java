package io.kestra.upgrade.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * {@code sandbox demo|up|status|down}: see the README.
 *
 * <ul>
 *   <li>{@code demo [--summary FILE] [--target VERSION] [--grace ISO] [--kill-margin ISO]}: a fresh
 *       stack, an upgrade with executions in flight, a summary, then everything stopped. Exit code
 *       0 only when the upgrade SUCCEEDED and no execution was lost.
 *   <li>{@code up}: starts whatever part is not running, and leaves the stack running.
 *   <li>{@code status}: the parts, their pids, ports and URLs, and the logs folder.
 *   <li>{@code down}: stops everything.
 * </ul>
 */
public final class SandboxCli {

  private SandboxCli() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    if (args.length == 0) {
      usage(out);
      System.exit(2);
    }
    Stack stack =
        new Stack(
            Layout.detect(), Database.fromEnvironment(), FleetSpec.standard("sandbox"), "0.21.4");
    int code =
        switch (args[0]) {
          case "demo" -> demo(stack, args, out);
          case "up" -> {
            stack.up(out);
            stack.status().forEach(out::println);
            yield 0;
          }
          case "status" -> {
            stack.status().forEach(out::println);
            yield 0;
          }
          case "down" -> {
            stack.down(out);
            yield 0;
          }
          default -> {
            usage(out);
            yield 2;
          }
        };
    System.exit(code);
  }

  private static int demo(Stack stack, String[] args, PrintStream out) throws Exception {
    Path summaryFile = null;
    String target = "1.0.0";
    String grace = "PT20S";
    String margin = "PT10S";
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--summary" -> summaryFile = Path.of(args[++i]);
        case "--target" -> target = args[++i];
        case "--grace" -> grace = args[++i];
        case "--kill-margin" -> margin = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (stack.anyRunning()) {
      out.println(
          "✗ a sandbox is already running: 'sandbox status' shows it, 'sandbox down' stops it");
      return 1;
    }
    fresh(stack);
    Summary summary;
    try {
      stack.up(out);
      summary = new Demo(stack, out).run(new Demo.Options(target, grace, margin));
    } finally {
      stack.down(out);
    }
    Demo.print(summary, out);
    if (summaryFile != null) {
      Files.writeString(
          summaryFile, Http.json().writerWithDefaultPrettyPrinter().writeValueAsString(summary));
      out.println("summary written to " + summaryFile.toAbsolutePath());
    }
    out.println("logs: " + stack.layout().logs());
    return summary.state().equals("SUCCEEDED") && summary.tasks().lost() == 0 ? 0 : 1;
  }

  /** A demo starts from nothing: the data, state and logs of an earlier run go. */
  private static void fresh(Stack stack) throws IOException {
    Path home = stack.layout().home();
    if (Files.exists(home)) {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    if (Database.fromEnvironment().external()) {
      try {
        Database.fromEnvironment().dropDatabases();
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(
            "cannot reset the databases on " + System.getenv("UPGRADE_DB_URL"), e);
      }
    }
  }

  private static void usage(PrintStream out) {
    out.println(
        "usage: sandbox demo [--summary FILE] [--target VERSION] [--grace PT20S] [--kill-margin PT10S]");
    out.println("       sandbox up | status | down");
  }
}
