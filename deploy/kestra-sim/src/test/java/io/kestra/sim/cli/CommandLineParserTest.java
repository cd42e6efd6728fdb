package io.kestra.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.common.ComponentKind;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CommandLineParserTest {

  @Test
  void workerTakesThreadsAndConfig() {
    Invocation i = CommandLineParser.parse("server", "worker", "-t", "8", "-c", "/etc/k.yml");
    assertThat(i.action()).isEqualTo(Action.SERVER);
    assertThat(i.kind()).isEqualTo(ComponentKind.WORKER);
    assertThat(i.workerThreads()).isEqualTo(8);
    assertThat(i.config()).isEqualTo(Path.of("/etc/k.yml"));
    assertThat(CommandLineParser.parse("server", "worker", "--thread=2").workerThreads())
        .isEqualTo(2);
    assertThat(CommandLineParser.parse("server", "worker").workerThreads()).isEqualTo(4);
  }

  @Test
  void standaloneTakesWorkerThreadWhereZeroMeansNoWorker() {
    assertThat(CommandLineParser.parse("server", "standalone").workerThreads()).isEqualTo(4);
    assertThat(
            CommandLineParser.parse("server", "standalone", "--worker-thread", "0").workerThreads())
        .isZero();
    assertThat(CommandLineParser.parse("server", "executor").workerThreads()).isZero();
  }

  @Test
  void kestraCommonOptionsAreAccepted() {
    Invocation i =
        CommandLineParser.parse(
            "server",
            "webserver",
            "--config",
            "k.yml",
            "--port",
            "9000",
            "-l",
            "debug",
            "-p",
            "/plugins",
            "--internal-log");
    assertThat(i.port()).isEqualTo(OptionalInt.of(9000));
    assertThat(i.logLevel()).isEqualTo("DEBUG");
    assertThat(CommandLineParser.parse("server", "indexer", "-v", "-v").logLevel())
        .isEqualTo("TRACE");
  }

  @Test
  void migrateVersionAndHelp() {
    Invocation m = CommandLineParser.parse("sys", "database", "migrate", "-c", "k.yml");
    assertThat(m.action()).isEqualTo(Action.MIGRATE);
    assertThat(m.config()).isEqualTo(Path.of("k.yml"));
    assertThat(CommandLineParser.parse("--version").action()).isEqualTo(Action.VERSION);
    assertThat(CommandLineParser.parse().action()).isEqualTo(Action.HELP);
  }

  @Test
  void refusesWhatKestraRefuses() {
    assertThatThrownBy(() -> CommandLineParser.parse("server", "robot"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("Unknown server type 'robot'");
    assertThatThrownBy(() -> CommandLineParser.parse("server", "executor", "-t", "2"))
        .hasMessageContaining("only for server worker");
    assertThatThrownBy(() -> CommandLineParser.parse("server", "worker", "--worker-thread", "2"))
        .hasMessageContaining("only for server standalone");
    assertThatThrownBy(() -> CommandLineParser.parse("server", "worker", "-t", "0"))
        .hasMessageContaining("must be >= 1");
    assertThatThrownBy(() -> CommandLineParser.parse("server", "worker", "-c"))
        .hasMessageContaining("Missing required parameter for option '-c'");
    assertThatThrownBy(() -> CommandLineParser.parse("server", "worker", "--bogus"))
        .hasMessageContaining("Unknown option: '--bogus'");
    assertThatThrownBy(() -> CommandLineParser.parse("sys", "database", "rollback"))
        .hasMessageContaining("only 'sys database migrate'");
    assertThatThrownBy(() -> CommandLineParser.parse("flow", "list"))
        .hasMessageContaining("Unknown command 'flow'");
  }
}
