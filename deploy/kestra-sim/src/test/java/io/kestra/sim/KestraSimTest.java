package io.kestra.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Exit codes and output of the commands that need no database, as each Kestra line has them. */
class KestraSimTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream stdout;
  private PrintStream stderr;

  @BeforeEach
  void capture() {
    stdout = System.out;
    stderr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(stdout);
    System.setErr(stderr);
  }

  private static int run(String version, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = KestraSim.SIM_VERSION;
    all[1] = version;
    System.arraycopy(args, 0, all, 2, args.length);
    return KestraSim.run(all, Instant.now(), Map.of());
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void versionPrintsTheVersionAloneAndExitsZero() {
    assertThat(run("0.21.4", "--version")).isZero();
    assertThat(run("1.0.0-no-plugins", "server", "worker", "-V")).isZero();
    assertThat(out()).isEqualTo("0.21.4\n1.0.0-no-plugins\n");
  }

  @Test
  void helpOfAServerListsKestrasOptionsAndExitsZero() {
    assertThat(run("0.22.1", "server", "worker", "--help")).isZero();
    assertThat(out())
        .startsWith("Usage: kestra server worker")
        .contains("-c, --config=<config>")
        .contains("-l, --log-level=<logLevel>")
        .contains("-v, --verbose")
        .contains("-p, --plugins=<pluginsPath>")
        .contains("--internal-log")
        .contains("--port=<serverPort>")
        .contains("-t, --thread=<thread>")
        .contains("-g, --worker-group=<workerGroupKey>");
  }

  @Test
  void withoutASubcommandKestraAndServerPrintTheirUsageAndExitZero() {
    assertThat(run("1.0.0")).isZero();
    assertThat(run("1.0.0", "server")).isZero();
    assertThat(run("1.0.0", "sys", "database")).isZero();
    assertThat(out())
        .contains("Usage: kestra [-hV] [COMMAND]")
        .contains("Usage: kestra server [-hVv]")
        .contains("executor    start an executor")
        .contains("local       start a local server")
        .contains("Usage: kestra sys database [-hVv]")
        .contains("migrate  Force database schema migration.");
  }

  @Test
  void aUsageErrorBefore12EscapesMainAsKestrasDoes() {
    // the JVM prints the uncaught exception and exits 1
    assertThatThrownBy(() -> run("1.0.0", "server", "worker", "--no-such-flag"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
        .hasMessageContaining("--no-such-flag");
    assertThatThrownBy(() -> run("0.21.4", "server", "nope"))
        .isInstanceOf(CommandLine.UnmatchedArgumentException.class)
        .hasMessageContaining("'nope'");
    assertThatThrownBy(() -> run("0.21.4", "server", "worker", "-l", "debug"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("case-sensitive");
  }

  @Test
  void aUsageErrorFrom12IsPicocliExitTwoWithTheUsage() {
    assertThat(run("2.0.0", "server", "worker", "--no-such-flag")).isEqualTo(2);
    assertThat(err()).contains("Unknown option: '--no-such-flag'").contains("Usage: kestra server");
    assertThat(run("2.0.0", "server", "nope")).isEqualTo(2);
    assertThat(run("2.0.0", "server", "worker", "-t", "many")).isEqualTo(2);
  }

  @Test
  void optionsTheStandInDoesNotImplementAreRefusedWithExitOne() {
    assertThat(run("1.0.0", "server", "executor", "--skip-executions", "a,b")).isEqualTo(1);
    assertThat(run("1.0.0", "server", "standalone", "-f", "/flows")).isEqualTo(1);
    assertThat(run("1.0.0", "server", "local", "--not-start-executors", "x")).isEqualTo(1);
    assertThat(err() + out())
        .contains("kestra-sim does not implement --skip-executions")
        .contains("-f/--flow-path")
        .contains("--not-start-executors");
  }

  @Test
  void aWorkerGroupMustMatchKestrasPatternElseTheCommandFailsWithExitOne() {
    assertThat(run("0.22.1", "server", "worker", "--worker-group", "bad group!")).isEqualTo(1);
    assertThat(err()).contains("The --worker-group option must match the [a-zA-Z0-9_-]+ pattern");
  }

  @Test
  void aWorkerWithoutThreadsFailsWithExitOne() {
    assertThat(run("0.22.1", "server", "worker", "-t", "0")).isEqualTo(1);
    assertThat(run("0.22.1", "server", "standalone", "--worker-thread", "-1")).isEqualTo(1);
  }

  @Test
  void unknownVersionsAndDirectStartsFail() {
    assertThat(run("0.20.0", "--version")).as("unknown version").isEqualTo(1);
    assertThat(KestraSim.run(new String[] {"server", "worker"}, Instant.now(), Map.of()))
        .as("not started by a launcher")
        .isEqualTo(1);
  }
}
