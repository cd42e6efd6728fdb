package io.kestra.upgrade.sandbox;

import io.kestra.upgrade.common.KestraVersion;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --target VERSION} and {@code --summary FILE}, on every command that upgrades. */
final class TargetOptions {

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "Also write the summary as JSON to FILE.")
  Path summaryFile;

  @Option(
      names = "--target",
      paramLabel = "VERSION",
      defaultValue = "1.0.0",
      converter = DemoCommand.VersionConverter.class,
      description = "The version to upgrade to (default: ${DEFAULT-VALUE}).")
  KestraVersion target;
}
