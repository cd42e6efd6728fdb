package io.kestra.sim.cli;

import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The executor's troubleshooting options, which Kestra's executor and standalone commands both
 * declare (a picocli mixin): parsed as Kestra parses them, and refused, since the stand-in does not
 * simulate skipping executions or Kafka Stream executors.
 */
final class TroubleshootingOptions {

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

  /** Adds to {@code refused} the options given. */
  void refuseGiven(List<String> refused) {
    AbstractServerCommand.refuseIfSet(refused, "--skip-executions", skipExecutions);
    AbstractServerCommand.refuseIfSet(refused, "--skip-flows", skipFlows);
    AbstractServerCommand.refuseIfSet(refused, "--skip-namespaces", skipNamespaces);
    AbstractServerCommand.refuseIfSet(refused, "--skip-tenants", skipTenants);
    AbstractServerCommand.refuseIfSet(refused, "--start-executors", startExecutors);
    AbstractServerCommand.refuseIfSet(refused, "--not-start-executors", notStartExecutors);
  }
}
