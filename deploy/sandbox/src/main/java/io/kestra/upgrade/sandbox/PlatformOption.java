package io.kestra.upgrade.sandbox;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --platform process|compose|kubernetes}, on every command. The option is reserved for the
 * Docker and Kubernetes sandboxes to come; until they exist it is refused, never ignored.
 */
final class PlatformOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--platform",
      paramLabel = "PLATFORM",
      defaultValue = "process",
      converter = Platform.Converter.class,
      description =
          "Where the Kestra fleet runs: process (default), compose or kubernetes;"
              + " only process is supported yet.")
  Platform platform;

  /**
   * Refuses a platform that is not implemented.
   *
   * @throws ParameterException for {@code compose} and {@code kubernetes}
   */
  void requireSupported() {
    if (platform != Platform.PROCESS) {
      throw new ParameterException(
          mixee.commandLine(),
          "--platform "
              + platform.wire()
              + " is not supported yet: the sandbox runs its fleet as processes only"
              + " (--platform process)");
    }
  }
}
