package io.kestra.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class KestraUpgradeTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return KestraUpgrade.run(new PrintWriter(out, true), new PrintWriter(err, true), false, args);
  }

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains(
            "plan",
            "start",
            "watch",
            "list",
            "show",
            "pause",
            "resume",
            "abort",
            "rollback",
            "agents",
            "agent-key")
        .contains("Exit codes:")
        .containsPattern("\\s3\\s+the upgrade was ROLLED_BACK")
        .containsPattern("\\s64\\s+wrong command line");
  }

  @Test
  void anUnreachableCoordinatorExitsFiveAndSaysWhereItLooked() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // nothing listens there any more: the connection is refused
    assertThat(run("list", "--server", "http://127.0.0.1:" + port))
        .isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString())
        .contains("the coordinator at http://127.0.0.1:" + port + "/ cannot be reached")
        .contains("KESTRA_UPGRADE_SERVER");
  }

  @Test
  void aWrongCommandLineExitsSixtyFourNotTheCodeOfAFailedUpgrade() {
    assertThat(run("start", "--cluster", "prod")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Missing required option: '--target=VERSION'");
    assertThat(run("list", "--output", "yaml")).isEqualTo(ExitCodes.USAGE);
    assertThat(run("list", "--server", "localhost:8090")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--server: 'localhost:8090' is not the coordinator's URL");
  }

  @Test
  void theEndOfAnUpgradeGivesItsExitCode() {
    assertThat(ExitCodes.ofUpgrade("SUCCEEDED")).isEqualTo(0);
    assertThat(ExitCodes.ofUpgrade("FAILED")).isEqualTo(2);
    assertThat(ExitCodes.ofUpgrade("ROLLBACK_FAILED")).isEqualTo(2);
    assertThat(ExitCodes.ofUpgrade("ABORTED")).isEqualTo(2);
    assertThat(ExitCodes.ofUpgrade("ROLLED_BACK")).isEqualTo(3);
    assertThat(ExitCodes.ofUpgrade("PAUSED")).isNull();
  }
}
