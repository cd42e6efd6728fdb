package io.kestra.upgrade.cli;

import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.AgentKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kestra-upgrade agent-key <agentId>}: prints the key an installer gives to one agent (its
 * {@code agent.signing-key}), derived from the coordinator's master key. The master key is read
 * from a file or the environment, never from the command line, where other users of the machine
 * would see it.
 */
@Command(
    name = "agent-key",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the key of one agent (64 hex digits), derived from the coordinator's master key:"
          + " give it to that agent as agent.signing-key (env AGENT_SIGNING_KEY), and to no other.",
      "The master key comes from --master-key-file, else from the environment variable"
          + " KESTRA_UPGRADE_MASTER_KEY (or COORDINATOR_SECURITY_MASTER_KEY, as the coordinator reads"
          + " it)."
    })
final class AgentKeyCommand implements Callable<Integer> {

  static final String MASTER_KEY_ENV = "KESTRA_UPGRADE_MASTER_KEY";
  static final String COORDINATOR_ENV = "COORDINATOR_SECURITY_MASTER_KEY";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "AGENT_ID",
      description = "<cluster>/<kind>/<instance>, e.g. prod/worker/worker-2")
  String agentId;

  @Option(
      names = "--master-key-file",
      paramLabel = "FILE",
      description = "a file holding the master key (surrounding white space ignored)")
  Path masterKeyFile;

  /** The environment, a seam for tests. */
  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() throws IOException {
    try {
      AgentId.parse(agentId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "AGENT_ID: " + e.getMessage());
    }
    String master = masterKey();
    try {
      spec.commandLine().getOut().println(AgentKeys.deriveText(master, agentId));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    return 0;
  }

  private String masterKey() throws IOException {
    if (masterKeyFile != null) {
      return Files.readString(masterKeyFile, StandardCharsets.UTF_8).strip();
    }
    for (String name : new String[] {MASTER_KEY_ENV, COORDINATOR_ENV}) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    throw new ParameterException(
        spec.commandLine(), "no master key: give --master-key-file FILE or set " + MASTER_KEY_ENV);
  }
}
