package io.kestra.sim.cli;

import io.kestra.sim.server.ServerRequest;
import io.kestra.upgrade.common.ComponentKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kestra server executor}: its troubleshooting options are refused (not simulated). */
@Command(name = "executor", description = "start an executor")
final class ExecutorCommand extends AbstractServerCommand {

  @Option(
      names = {"--skip-executions"},
      split = ",",
      description =
          "a list of execution identifiers to skip, separated by a coma; for troubleshooting"
              + " purpose only")
  private List<String> skipExecutions = Collections.emptyList();

  @Option(
      names = {"--skip-flows"},
      split = ",",
      description =
          "a list of flow identifiers (tenant|namespace|flowId) to skip, separated by a coma; for"
              + " troubleshooting purpose only")
  private List<String> skipFlows = Collections.emptyList();

  @Option(
      names = {"--skip-namespaces"},
      split = ",",
      description =
          "a list of namespace identifiers (tenant|namespace) to skip, separated by a coma; for"
              + " troubleshooting purpose only")
  private List<String> skipNamespaces = Collections.emptyList();

  @Option(
      names = {"--skip-tenants"},
      split = ",",
      description =
          "a list of tenants to skip, separated by a coma; for troubleshooting purpose only")
  private List<String> skipTenants = Collections.emptyList();

  @Option(
      names = {"--start-executors"},
      split = ",",
      description =
          "a list of Kafka Stream executors to start, separated by a command. Use it only with the"
              + " Kafka queue, for debugging purpose.")
  private List<String> startExecutors = Collections.emptyList();

  @Option(
      names = {"--not-start-executors"},
      split = ",",
      description =
          "a list of Kafka Stream executors to not start, separated by a command. Use it only with"
              + " the Kafka queue, for debugging purpose.")
  private List<String> notStartExecutors = Collections.emptyList();

  ExecutorCommand(SimContext context) {
    super(context);
  }

  @Override
  protected ServerRequest request() {
    return new ServerRequest("executor", ComponentKind.EXECUTOR, 0, Optional.empty(), false);
  }

  @Override
  protected List<String> notSimulated() {
    List<String> refused = new ArrayList<>();
    refuseIfSet(refused, "--skip-executions", skipExecutions);
    refuseIfSet(refused, "--skip-flows", skipFlows);
    refuseIfSet(refused, "--skip-namespaces", skipNamespaces);
    refuseIfSet(refused, "--skip-tenants", skipTenants);
    refuseIfSet(refused, "--start-executors", startExecutors);
    refuseIfSet(refused, "--not-start-executors", notStartExecutors);
    return refused;
  }
}
