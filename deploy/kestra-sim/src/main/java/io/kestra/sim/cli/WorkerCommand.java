package io.kestra.sim.cli;

import io.kestra.sim.server.ServerRequest;
import io.kestra.upgrade.common.ComponentKind;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kestra server worker}. {@code -g/--worker-group} is an Enterprise feature: Kestra's open
 * source worker checks the key's pattern (failing the command on a bad one) and then ignores it; so
 * does the simulator, for the same reason.
 */
@Command(name = "worker", description = "start a worker")
final class WorkerCommand extends AbstractServerCommand {

  private static final Pattern GROUP_KEY = Pattern.compile("[a-zA-Z0-9_-]+");

  @Option(
      names = {"-t", "--thread"},
      description =
          "the max number of worker threads, defaults to two times the number of available"
              + " processors")
  private int thread = defaultWorkerThread();

  @Option(
      names = {"-g", "--worker-group"},
      description = "the worker group key, must match the regex [a-zA-Z0-9_-]+ (EE only)")
  private String workerGroupKey = null;

  WorkerCommand(SimContext context) {
    super(context);
  }

  @Override
  protected ServerRequest request() {
    if (workerGroupKey != null && !GROUP_KEY.matcher(workerGroupKey).matches()) {
      // Kestra throws this from the command: picocli prints it and the process exits 1
      throw new IllegalArgumentException(
          "The --worker-group option must match the [a-zA-Z0-9_-]+ pattern");
    }
    if (thread < 1) {
      // Kestra fails creating a worker pool without threads, with the same exit code
      throw new IllegalArgumentException("A worker needs at least one thread: -t " + thread);
    }
    return new ServerRequest(
        "worker", ComponentKind.WORKER, thread, Optional.ofNullable(workerGroupKey), false);
  }
}
