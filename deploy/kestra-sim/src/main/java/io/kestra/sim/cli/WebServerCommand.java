package io.kestra.sim.cli;

import io.kestra.sim.server.ServerRequest;
import io.kestra.upgrade.common.ComponentKind;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kestra server webserver}: runs an embedded indexer unless {@code --no-indexer}, as Kestra
 * does; {@code --no-tutorials} is honoured trivially (the simulator loads no tutorial flows).
 */
@Command(name = "webserver", description = "start the webserver")
final class WebServerCommand extends AbstractServerCommand {

  @Option(
      names = {"--no-tutorials"},
      description = "Flag to disable auto-loading of tutorial flows.")
  private boolean tutorialsDisabled = false;

  @Option(
      names = {"--no-indexer"},
      description = "Flag to disable starting an embedded indexer.")
  private boolean indexerDisabled = false;

  WebServerCommand(SimContext context) {
    super(context);
  }

  @Override
  protected ServerRequest request() {
    return new ServerRequest(
        "webserver", ComponentKind.WEBSERVER, 0, Optional.empty(), !indexerDisabled);
  }
}
