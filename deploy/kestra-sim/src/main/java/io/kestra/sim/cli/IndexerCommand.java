package io.kestra.sim.cli;

import io.kestra.sim.server.ServerRequest;
import io.kestra.upgrade.common.ComponentKind;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code kestra server indexer}. */
@Command(name = "indexer", description = "start an indexer")
final class IndexerCommand extends AbstractServerCommand {

  IndexerCommand(SimContext context) {
    super(context);
  }

  @Override
  protected ServerRequest request() {
    return new ServerRequest("indexer", ComponentKind.INDEXER, 0, Optional.empty(), false);
  }
}
