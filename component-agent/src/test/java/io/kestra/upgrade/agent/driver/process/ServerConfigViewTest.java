package io.kestra.upgrade.agent.driver.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a server's grace period and ports as Kestra resolves them. */
class ServerConfigViewTest {

  @TempDir Path dir;

  private Map<String, String> file(String yaml) throws Exception {
    return KestraConfigFile.read(Files.writeString(dir.resolve("application.yml"), yaml));
  }

  @Test
  void nestedKeysWithRelaxedNamesAreRead() throws Exception {
    Map<String, String> nested = file("kestra:\n  server:\n    termination-grace-period: 45s\n");
    assertThat(ServerConfigView.of(nested, "").gracePeriod()).isEqualTo(Duration.ofSeconds(45));
    Map<String, String> camel = file("kestra:\n  server:\n    terminationGracePeriod: PT2M\n");
    assertThat(ServerConfigView.of(camel, "").gracePeriod()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void flattenedKeysAreRead() throws Exception {
    Map<String, String> flat =
        file("kestra.server.termination_grace_period: 5m\nendpoints.all.port: 9091\n");
    ServerConfigView view = ServerConfigView.of(flat, "");
    assertThat(view.gracePeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(view.fromFile("endpoints.all.port")).contains("9091");
  }

  @Test
  void theConfigFileWinsOverDashDAsInKestra() throws Exception {
    ServerConfigView view =
        ServerConfigView.of(
            file("kestra.server.terminationGracePeriod: 30s\n"),
            "-Xmx1g -Dkestra.server.terminationGracePeriod=90s");
    assertThat(view.gracePeriod()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void withoutTheFileTheLastDashDWins() {
    ServerConfigView view =
        ServerConfigView.of(
            Map.of(),
            "-Dkestra.server.terminationGracePeriod=90s -Dkestra.server.termination-grace-period=2m");
    assertThat(view.gracePeriod()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void withNeitherItIsKestrasFiveMinutes() throws Exception {
    assertThat(ServerConfigView.of(file("datasources.postgres.url: x\n"), "-Xmx1g").gracePeriod())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(KestraConfigFile.read(dir.resolve("missing.yml"))).isEmpty();
  }

  @Test
  void aValueThatIsNoDurationIsAnError() throws Exception {
    ServerConfigView view =
        ServerConfigView.of(file("kestra.server.terminationGracePeriod: soon\n"), "");
    assertThatThrownBy(view::gracePeriod).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void javaOptsAreSplitAsTheLauncherSplitsThem() {
    assertThat(JavaOpts.systemProperties("  -Xmx1g -Da.b=1  -Dc-d=x=y -De "))
        .containsEntry("a.b", "1")
        .containsEntry("cd", "x=y")
        .containsEntry("e", "")
        .hasSize(3);
    assertThat(JavaOpts.append(" -Xmx1g ", "endpoints.all.port", "9081"))
        .isEqualTo("-Xmx1g -Dendpoints.all.port=9081");
    assertThat(JavaOpts.append("", "k", "v")).isEqualTo("-Dk=v");
  }
}
