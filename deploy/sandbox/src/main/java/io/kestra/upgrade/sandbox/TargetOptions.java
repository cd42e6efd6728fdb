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
      converter = DemoCommand.VersionConverter.class,
      description =
          "The version to upgrade to (default: "
              + DEFAULT_TARGET
              + "; for demo --strategy ROLLING, "
              + DemoCommand.ROLLING_TARGET
              + ").")
  KestraVersion target;

  /** The target when none is given. */
  static final String DEFAULT_TARGET = "1.0.0";

  /** {@code --target}, or {@code fallback} when it is not given. */
  KestraVersion targetOr(String fallback) {
    return target != null ? target : KestraVersion.parse(fallback);
  }
}
