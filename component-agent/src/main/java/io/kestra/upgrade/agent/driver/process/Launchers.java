package io.kestra.upgrade.agent.driver.process;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code kestra-<version>} launchers of a standalone install, and the command lines run with
 * them. Every argument is separate (no shell ever parses them), and the version in a launcher's
 * name comes from {@link KestraVersion}, never from raw input.
 */
final class Launchers {

  private final Path installDir;

  Launchers(Path installDir) {
    this.installDir = installDir;
  }

  Path installDir() {
    return installDir;
  }

  /** Where the launcher of {@code version} is, whether or not it exists. */
  Path launcher(KestraVersion version) {
    return installDir.resolve("kestra-" + version);
  }

  /**
   * The launcher of {@code version}, checked to be an executable file.
   *
   * @throws DriverException {@link FailureReason#LAUNCHER_MISSING}
   */
  Path require(KestraVersion version) throws DriverException {
    Path launcher = launcher(version);
    if (!Files.isRegularFile(launcher)) {
      throw new DriverException(
          FailureReason.LAUNCHER_MISSING, "launcher " + launcher + " does not exist");
    }
    if (!Files.isExecutable(launcher)) {
      throw new DriverException(
          FailureReason.LAUNCHER_MISSING, "launcher " + launcher + " is not executable");
    }
    return launcher;
  }

  /** {@code kestra-<v> server <kind> [--port N] [serverArgs] [-c config]}. */
  List<String> serverCommand(
      KestraVersion version,
      ComponentKind kind,
      OptionalInt apiPort,
      List<String> serverArgs,
      Optional<Path> config) {
    List<String> command = new ArrayList<>();
    command.add(launcher(version).toString());
    command.add("server");
    command.add(kind.wireName());
    apiPort.ifPresent(
        port -> {
          command.add("--port");
          command.add(Integer.toString(port));
        });
    command.addAll(serverArgs);
    config.ifPresent(
        file -> {
          command.add("-c");
          command.add(file.toString());
        });
    return command;
  }

  /** {@code kestra-<v> sys database migrate [-c config]}. */
  List<String> migrateCommand(KestraVersion version, Optional<Path> config) {
    List<String> command =
        new ArrayList<>(List.of(launcher(version).toString(), "sys", "database", "migrate"));
    config.ifPresent(
        file -> {
          command.add("-c");
          command.add(file.toString());
        });
    return command;
  }
}
