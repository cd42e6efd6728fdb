package io.kestra.upgrade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.cli.api.ApiClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the coordinator: the connection options, the output, and the API's
 * failures left to {@link KestraUpgrade}'s handler, which prints them and exits with their code.
 */
public abstract class ApiCommand implements Callable<Integer> {

  @Mixin protected Connection connection;

  @ParentCommand protected KestraUpgrade root;

  @Spec protected picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    return run(connection.client());
  }

  /** Does the command's work; returns its exit code ({@link ExitCodes}). */
  protected abstract int run(ApiClient api) throws Exception;

  /** Where the command prints. */
  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Whether {@link #out()} is a terminal (progress redrawn in place). */
  protected boolean terminal() {
    return root != null && root.terminal();
  }

  /** Whether the output is JSON. */
  protected boolean json() {
    return connection.json();
  }

  /** Prints the API's answer as indented JSON. */
  protected void printJson(JsonNode body) throws Exception {
    out().println(ApiClient.json().writerWithDefaultPrettyPrinter().writeValueAsString(body));
    out().flush();
  }
}
