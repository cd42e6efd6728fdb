package io.kestra.upgrade.cli;

import io.kestra.upgrade.cli.api.ApiClient;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to the coordinator shares: where it is, the token, and the
 * output's form.
 */
public final class Connection {

  /** The coordinator's URL when neither {@code --server} nor the environment gives one. */
  static final String DEFAULT_SERVER = "http://localhost:8090";

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:KESTRA_UPGRADE_SERVER:-" + DEFAULT_SERVER + "}",
      description = "the coordinator's URL (env KESTRA_UPGRADE_SERVER; default: ${DEFAULT-VALUE})")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:KESTRA_UPGRADE_TOKEN}",
      description = "the API's bearer token (env KESTRA_UPGRADE_TOKEN)")
  String token;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "TEXT",
      description =
          "text (default) or json (for scripts: the API's JSON; start and watch: one JSON"
              + " line per event, then the upgrade)")
  Output output;

  /** The output's form. */
  enum Output {
    TEXT,
    JSON
  }

  /** A client of the coordinator at {@code --server}. */
  ApiClient client() {
    String base = server.endsWith("/") ? server : server + "/";
    try {
      URI uri = new URI(base);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(server, "not an http(s) URL with a host");
      }
      return new ApiClient(uri, token);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--server: '" + server + "' is not the coordinator's URL (" + e.getReason() + ")", e);
    }
  }

  boolean json() {
    return output == Output.JSON;
  }
}
