package io.kestra.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.AgentKeys;
import io.kestra.upgrade.common.MessageSigner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentKeyCommandTest {

  private static final String MASTER = "an-installation-master-key-of-32-bytes-or-more";

  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    AgentKeyCommand command = new AgentKeyCommand();
    command.environment = env;
    CommandLine agentKey = new CommandLine(command);
    agentKey.setOut(new PrintWriter(out, true));
    agentKey.setErr(new PrintWriter(err, true));
    return agentKey.execute(args);
  }

  @Test
  void printsTheKeyTheCoordinatorDerivesForThatAgent() throws Exception {
    Path file = Files.writeString(tmp.resolve("master"), MASTER + "\n");

    int code = run(Map.of(), "prod/worker/worker-2", "--master-key-file", file.toString());

    assertThat(code).isZero();
    String key = out.toString().strip();
    assertThat(key).isEqualTo(AgentKeys.deriveText(MASTER, "prod/worker/worker-2"));
    // the printed key is one an agent can sign with
    assertThat(MessageSigner.ofText(key)).isNotNull();
  }

  @Test
  void readsTheMasterKeyFromTheEnvironment() {
    assertThat(run(Map.of(AgentKeyCommand.MASTER_KEY_ENV, MASTER), "prod/executor/e1")).isZero();
    assertThat(out.toString().strip()).isEqualTo(AgentKeys.deriveText(MASTER, "prod/executor/e1"));
  }

  @Test
  void aWrongAgentIdAMissingOrShortMasterKeyAreUsageErrors() {
    assertThat(run(Map.of(AgentKeyCommand.MASTER_KEY_ENV, MASTER), "prod/robot/r1")).isEqualTo(2);
    assertThat(err.toString()).contains("AGENT_ID: unknown component kind 'robot'");
    assertThat(run(Map.of(), "prod/worker/w1")).isEqualTo(2);
    assertThat(err.toString()).contains("no master key: give --master-key-file FILE");
    assertThat(run(Map.of(AgentKeyCommand.MASTER_KEY_ENV, "short"), "prod/worker/w1")).isEqualTo(2);
    assertThat(err.toString()).contains("at least 32 bytes");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void theTopCommandListsAgentKeyAndItsExitCodes() {
    StringWriter help = new StringWriter();
    int code =
        KestraUpgrade.run(new PrintWriter(help, true), new PrintWriter(err, true), false, "--help");
    assertThat(code).isZero();
    assertThat(help.toString()).contains("agent-key").contains("Exit codes:");
  }
}
