package io.kestra.upgrade.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KestraVersionTest {

  @Test
  void parsesPlainPrefixedFlavouredAndReleaseCandidateVersions() {
    assertThat(KestraVersion.parse("0.21.4")).isEqualTo(new KestraVersion(0, 21, 4, 0, null));
    assertThat(KestraVersion.parse("v0.21.4")).isEqualTo(new KestraVersion(0, 21, 4, 0, null));
    assertThat(KestraVersion.parse("v0.21.4-no-plugins"))
        .isEqualTo(new KestraVersion(0, 21, 4, 0, "no-plugins"));
    assertThat(KestraVersion.parse("1.0.0-rc1")).isEqualTo(new KestraVersion(1, 0, 0, 1, null));
    assertThat(KestraVersion.parse("v1.0.0-rc2-no-plugins"))
        .isEqualTo(new KestraVersion(1, 0, 0, 2, "no-plugins"));
  }

  @Test
  void printsCanonicalFormAndImageTag() {
    KestraVersion version = KestraVersion.parse("v0.21.4-no-plugins");
    assertThat(version).hasToString("0.21.4-no-plugins");
    assertThat(version.imageTag()).isEqualTo("v0.21.4-no-plugins");
    assertThat(KestraVersion.parse("1.0.0-rc1")).hasToString("1.0.0-rc1");
  }

  @Test
  void ordersSemanticallyNotLexically() {
    List<KestraVersion> versions = new ArrayList<>();
    for (String v :
        List.of("1.0.0", "0.9.10", "0.21.4", "1.0.0-rc2", "0.10.0", "1.0.0-rc1", "0.21.10")) {
      versions.add(KestraVersion.parse(v));
    }
    Collections.sort(versions);
    assertThat(versions)
        .extracting(KestraVersion::toString)
        .containsExactly(
            "0.9.10", "0.10.0", "0.21.4", "0.21.10", "1.0.0-rc1", "1.0.0-rc2", "1.0.0");
  }

  @Test
  void releaseCandidateIsOlderThanItsRelease() {
    assertThat(KestraVersion.parse("1.0.0-rc1").isOlderThan(KestraVersion.parse("1.0.0"))).isTrue();
    assertThat(KestraVersion.parse("1.0.0").isOlderThan(KestraVersion.parse("1.0.0-rc9")))
        .isFalse();
  }

  @Test
  void flavourIsKeptButTakesNoPartInTheOrder() {
    KestraVersion plain = KestraVersion.parse("0.21.4");
    KestraVersion noPlugins = KestraVersion.parse("0.21.4-no-plugins");
    assertThat(plain.isSameRelease(noPlugins)).isTrue();
    assertThat(plain).isNotEqualTo(noPlugins);
    assertThat(KestraVersion.parse("1.0.0").withFlavourOf(noPlugins))
        .hasToString("1.0.0-no-plugins");
    assertThat(KestraVersion.parse("1.0.0").withFlavourOf(plain)).hasToString("1.0.0");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1",
        "1.0",
        "1.0.0.0",
        "V1.0.0",
        "vv1.0.0",
        "01.0.0",
        "1.0.0-",
        "1.0.0-rc",
        "1.0.0-rc0",
        "1.0.0-beta1",
        "1.0.0-SNAPSHOT",
        "1.0.0-full",
        "1.0.0-no-plugins-rc1",
        "1.0.0 ",
        " 1.0.0",
        "1.0.0;rm -rf /",
        "1.0.0\n",
        "../1.0.0",
        "latest",
        "99999.0.0"
      })
  void rejectsAnythingOutsideTheGrammar(String input) {
    assertThat(KestraVersion.tryParse(input)).isEmpty();
    assertThatThrownBy(() -> KestraVersion.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a Kestra version")
        .hasMessageContaining("MAJOR.MINOR.PATCH");
  }

  @Test
  void rejectsNullWithAClearMessage() {
    assertThatThrownBy(() -> KestraVersion.parse(null))
        .hasMessageStartingWith("'null' is not a Kestra version");
  }

  @Test
  void rejectsUnknownFlavourInConstructor() {
    assertThatThrownBy(() -> new KestraVersion(1, 0, 0, 0, "full"))
        .hasMessageContaining("unknown flavour 'full'");
  }
}
