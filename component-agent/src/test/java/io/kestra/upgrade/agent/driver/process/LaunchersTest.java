package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.agent.driver.DriverException;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchersTest {

  @TempDir Path install;

  @Test
  void serverCommandHasEveryArgumentSeparate() {
    Launchers launchers = new Launchers(install);
    assertThat(
            launchers.serverCommand(
                KestraVersion.parse("v0.21.4"),
                ComponentKind.WORKER,
                OptionalInt.of(8082),
                List.of("-t", "4"),
                Optional.of(Path.of("/etc/kestra/application.yml"))))
        .containsExactly(
            install.resolve("kestra-0.21.4").toString(),
            "server",
            "worker",
            "--port",
            "8082",
            "-t",
            "4",
            "-c",
            "/etc/kestra/application.yml");
    assertThat(launchers.migrateCommand(KestraVersion.parse("1.0.0"), Optional.empty()))
        .containsExactly(install.resolve("kestra-1.0.0").toString(), "sys", "database", "migrate");
  }

  @Test
  void aLauncherMustExistAndBeExecutable() throws Exception {
    Launchers launchers = new Launchers(install);
    KestraVersion version = KestraVersion.parse("0.22.1");
    assertThatThrownBy(() -> launchers.require(version))
        .isInstanceOf(DriverException.class)
        .satisfies(
            e ->
                assertThat(((DriverException) e).reason())
                    .isEqualTo(FailureReason.LAUNCHER_MISSING))
        .hasMessageContaining("does not exist");
    Path launcher = Files.writeString(install.resolve("kestra-0.22.1"), "#!/bin/sh\n");
    assertThatThrownBy(() -> launchers.require(version)).hasMessageContaining("not executable");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(launchers.require(version)).isEqualTo(launcher);
  }

  @Test
  void withoutAnApiPortTheServerCommandHasNoPortOption() {
    assertThat(
            new Launchers(install)
                .serverCommand(
                    KestraVersion.parse("1.0.0"),
                    ComponentKind.EXECUTOR,
                    OptionalInt.empty(),
                    List.of(),
                    Optional.empty()))
        .containsExactly(install.resolve("kestra-1.0.0").toString(), "server", "executor");
  }
}
