package io.kestra.sim.cli;

import io.kestra.sim.server.ServerRequest;
import io.kestra.upgrade.common.ComponentKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kestra server executor}: its troubleshooting options are refused (not simulated). */
@Command(name = "executor", description = "start an executor")
final class ExecutorCommand extends AbstractServerCommand {

  @Mixin private TroubleshootingOptions troubleshooting = new TroubleshootingOptions();

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
    troubleshooting.refuseGiven(refused);
    return refused;
  }
}
