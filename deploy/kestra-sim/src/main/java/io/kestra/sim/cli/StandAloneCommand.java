package io.kestra.sim.cli;

import io.kestra.sim.server.ServerRequest;
import io.kestra.upgrade.common.ComponentKind;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kestra server standalone}: every role in one process; {@code --worker-thread 0} runs no
 * worker, {@code --no-indexer} no indexer. The flow path and the troubleshooting options are
 * refused (not simulated); {@code --no-tutorials} is honoured trivially (no tutorial flows here).
 */
@Command(name = "standalone", description = "start a standalone server")
class StandAloneCommand extends AbstractServerCommand {

  @Option(
      names = {"-f", "--flow-path"},
      description =
          "the flow path containing flow to inject at startup (when running with a memory flow"
              + " repository)")
  private File flowPath;

  @Option(
      names = {"--worker-thread"},
      description =
          "the number of worker threads, defaults to two times the number of available processors."
              + " Set it to 0 to avoid starting a worker.")
  private int workerThread = defaultWorkerThread();

  @Mixin private TroubleshootingOptions troubleshooting = new TroubleshootingOptions();

  @Mixin private WebOptions web = new WebOptions();

  StandAloneCommand(SimContext context) {
    super(context);
  }

  /** The command's name in {@link ServerRequest#command()}. */
  protected String commandName() {
    return "standalone";
  }

  @Override
  protected ServerRequest request() {
    if (workerThread < 0) {
      // Kestra fails creating a worker pool with a negative size, with the same exit code
      throw new IllegalArgumentException(
          "--worker-thread cannot be negative (0 runs no worker): " + workerThread);
    }
    return new ServerRequest(
        commandName(),
        ComponentKind.STANDALONE,
        workerThread,
        Optional.empty(),
        web.embeddedIndexer());
  }

  @Override
  protected List<String> notSimulated() {
    List<String> refused = new ArrayList<>();
    refuseIfSet(refused, "-f/--flow-path", flowPath);
    troubleshooting.refuseGiven(refused);
    return refused;
  }
}
