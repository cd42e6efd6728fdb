package io.kestra.upgrade.agent.driver.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.common.KestraVersion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Tags, image references and the options a container's configuration carries. */
class ImageTagsTest {

  private static final KestraVersion V1 = KestraVersion.parse("1.0.0");

  @Test
  void aTagKeepsItsFlavourAcrossVersions() {
    TagPattern.Parsed parsed = TagPattern.KESTRA.parse("v0.21.4-no-plugins").orElseThrow();
    assertThat(parsed.version()).isEqualTo(KestraVersion.parse("0.21.4"));
    assertThat(parsed.flavour()).isEqualTo("-no-plugins");
    assertThat(TagPattern.KESTRA.tag(V1, parsed.flavour())).isEqualTo("v1.0.0-no-plugins");
    assertThat(new TagPattern("kestra-{version}-custom").parse("kestra-1.0.0-custom-pg"))
        .hasValueSatisfying(p -> assertThat(p.flavour()).isEqualTo("-pg"));
    assertThat(TagPattern.KESTRA.parse("latest")).isEmpty();
  }

  @Test
  void aPatternWithoutOneVersionIsRefused() {
    assertThatThrownBy(() -> new TagPattern("latest")).hasMessageContaining("{version}");
    assertThatThrownBy(() -> new TagPattern("{version}/x")).hasMessageContaining("no valid tag");
  }

  @Test
  void aRegistryPortIsNotATag() {
    ImageRef ref = ImageRef.parse("registry:5000/org/kestra:v1.0.0");
    assertThat(ref.repository()).isEqualTo("registry:5000/org/kestra");
    assertThat(ref.tag()).hasValue("v1.0.0");
    assertThat(ImageRef.parse("registry:5000/org/kestra").tag()).isEmpty();
    assertThat(ref.withTag("v1.0.1")).isEqualTo("registry:5000/org/kestra:v1.0.1");
  }

  @Test
  void theGracePeriodIsReadFromAndSetInJavaOpts() {
    String key = "kestra.server.terminationGracePeriod";
    List<String> env = List.of("A=1", "JAVA_OPTS=-Xmx1g -D" + key + "=PT90S");
    assertThat(JavaOptsEnv.grace(env, key)).hasValue(Duration.ofSeconds(90));
    List<String> set = JavaOptsEnv.withGrace(env, key, Optional.of(Duration.ofMinutes(3)));
    assertThat(set).containsExactly("A=1", "JAVA_OPTS=-Xmx1g -D" + key + "=PT3M");
    assertThat(JavaOptsEnv.withGrace(List.of("A=1"), key, Optional.of(Duration.ofSeconds(5))))
        .containsExactly("A=1", "JAVA_OPTS=-D" + key + "=PT5S");
    assertThat(JavaOptsEnv.withGrace(env, key, Optional.empty())).isEqualTo(env);
  }

  @Test
  void theMigrationKeepsTheServersConfigFileOption() {
    assertThat(
            OneOffMigration.configOptions(
                List.of("server", "worker", "-c", "/etc/kestra.yml", "--thread", "4")))
        .containsExactly("-c", "/etc/kestra.yml");
    assertThat(OneOffMigration.configOptions(List.of("server", "standalone", "--config=/a.yml")))
        .containsExactly("--config=/a.yml");
  }
}
