package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.sandbox.stack.Platform;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --platform process|compose|kubernetes}, on every command. {@code kubernetes} is reserved
 * for the Kubernetes sandbox to come; until it exists it is refused, never ignored.
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
          "Where the Kestra fleet runs: process (default), compose (a Compose project on this"
              + " machine's Docker engine) or kubernetes (not supported yet).")
  Platform platform;

  /**
   * Refuses a platform that is not implemented.
   *
   * @return the platform
   * @throws ParameterException for {@code kubernetes}
   */
  Platform requireSupported() {
    if (platform == Platform.KUBERNETES) {
      throw new ParameterException(
          mixee.commandLine(),
          "--platform "
              + platform.wire()
              + " is not supported yet: the sandbox runs its fleet as processes or Compose"
              + " services (--platform process|compose)");
    }
    return platform;
  }
}
