package io.kestra.upgrade.agent.driver.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.KestraVersion;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeImagesTest {

  private static final KestraVersion V1 = KestraVersion.parse("1.0.0");
  private static final String REPO = "local/kestra-sim";

  private static ComposeImages.Result retag(String text, Map<String, String> env) {
    return ComposeImages.retag(text, env, REPO, TagPattern.KESTRA, V1);
  }

  @Test
  void everyImageOfTheRepositoryChangesAndNothingElse() {
    String file =
        """
        # the fleet
        services:
          executor:
            image: local/kestra-sim:v0.21.4   # pinned by the upgrade
            command: server executor
          worker:
            image: "local/kestra-sim:v0.21.4-no-plugins"
          postgres:
            image: postgres:15
          other:
            image: registry:5000/local/kestra-sim:v0.21.4
        """;

    ComposeImages.Result r = retag(file, Map.of());

    assertThat(r.text())
        .isEqualTo(
            file.replace("local/kestra-sim:v0.21.4   #", "local/kestra-sim:v1.0.0   #")
                .replace(
                    "\"local/kestra-sim:v0.21.4-no-plugins\"",
                    "\"local/kestra-sim:v1.0.0-no-plugins\""));
    assertThat(r.changed()).hasSize(2).first().asString().startsWith("line 4: ");
    assertThat(r.variables()).isEmpty();
    assertThat(retag(r.text(), Map.of()).changed()).as("done once").isEmpty();
  }

  @Test
  void aTagInAVariableChangesInTheEnvFileOrInItsDefault() {
    String file =
        """
        services:
          executor:
            image: local/kestra-sim:${KESTRA_TAG}
          worker:
            image: local/kestra-sim:v${KESTRA_VERSION}-no-plugins
          webserver:
            image: ${REPO:-local/kestra-sim}:${WEB_TAG:-v0.21.4}
          indexer:
            image: local/kestra-sim:${NOWHERE}
        """;

    ComposeImages.Result r =
        retag(file, Map.of("KESTRA_TAG", "v0.21.4", "KESTRA_VERSION", "0.21.4"));

    assertThat(r.variables())
        .containsExactly(Map.entry("KESTRA_TAG", "v1.0.0"), Map.entry("KESTRA_VERSION", "1.0.0"));
    assertThat(r.text()).isEqualTo(file.replace("${WEB_TAG:-v0.21.4}", "${WEB_TAG:-v1.0.0}"));
    assertThat(r.unresolved()).singleElement().asString().contains("${NOWHERE}");
  }

  @Test
  void theEnvFileKeepsItsCommentsAndQuotes() {
    String env = "# versions\nKESTRA_TAG=\"v0.21.4\" # the tag\r\nOTHER=1\n";

    assertThat(DotEnv.read(env)).containsEntry("KESTRA_TAG", "v0.21.4").containsEntry("OTHER", "1");
    assertThat(DotEnv.set(env, Map.of("KESTRA_TAG", "v1.0.0", "NEW", "x")))
        .isEqualTo("# versions\nKESTRA_TAG=\"v1.0.0\" # the tag\r\nOTHER=1\nNEW=x\n");
  }
}
