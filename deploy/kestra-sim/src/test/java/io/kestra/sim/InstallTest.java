package io.kestra.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.sim.version.UnknownVersionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallTest {

  @TempDir Path dir;

  @Test
  void writesOneExecutableLauncherPerVersionNamedLikeAStandaloneInstall() throws Exception {
    List<Path> written =
        Install.write(dir, List.of("0.21.4", "v1.0.0-no-plugins"), "/opt/sim.jar:/opt/lib/*");

    assertThat(written)
        .containsExactly(dir.resolve("kestra-0.21.4"), dir.resolve("kestra-1.0.0-no-plugins"));
    Path launcher = dir.resolve("kestra-0.21.4");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher)))
        .isEqualTo("rwxr-xr-x");
    assertThat(Files.readString(launcher))
        .startsWith("#!/usr/bin/env bash\n")
        .contains(
            "exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx160m $JAVA_OPTS"
                + " -cp '/opt/sim.jar:/opt/lib/*' io.kestra.sim.KestraSim --sim-version 0.21.4"
                + " \"$@\"\n");
  }

  @Test
  void refusesAVersionOutsideTheCatalogAndWritesNothing() {
    assertThatThrownBy(() -> Install.write(dir, List.of("0.21.4", "0.19.0"), "/opt/sim.jar"))
        .isInstanceOf(UnknownVersionException.class)
        .hasMessageContaining("0.19.0");
    assertThat(dir.resolve("kestra-0.21.4")).doesNotExist();
  }

  @Test
  void quotesTheClasspathForBash() {
    assertThat(Install.singleQuoted("/a b/it's/*")).isEqualTo("'/a b/it'\\''s/*'");
  }
}
