package io.kestra.sim.cli;

import io.kestra.sim.server.ServerRequest;
import io.kestra.upgrade.common.ComponentKind;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kestra server webserver}: runs an embedded indexer unless {@code --no-indexer}, as Kestra
 * does; {@code --no-tutorials} is honoured trivially (the simulator loads no tutorial flows).
 */
@Command(name = "webserver", description = "start the webserver")
final class WebServerCommand extends AbstractServerCommand {

  @Mixin private WebOptions web = new WebOptions();

  WebServerCommand(SimContext context) {
    super(context);
  }

  @Override
  protected ServerRequest request() {
    return new ServerRequest(
        "webserver", ComponentKind.WEBSERVER, 0, Optional.empty(), web.embeddedIndexer());
  }
}
