package io.kestra.sim.cli;

import io.kestra.sim.server.ServerRequest;
import io.kestra.upgrade.common.ComponentKind;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code kestra server scheduler}. */
@Command(name = "scheduler", description = "start an scheduler")
final class SchedulerCommand extends AbstractServerCommand {

  SchedulerCommand(SimContext context) {
    super(context);
  }

  @Override
  protected ServerRequest request() {
    return new ServerRequest("scheduler", ComponentKind.SCHEDULER, 0, Optional.empty(), false);
  }
}
