package io.kestra.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.common.KestraVersion;
import org.junit.jupiter.api.Test;

class FaultSelectorTest {

  private static final KestraVersion V0214 = KestraVersion.parse("0.21.4");
  private static final KestraVersion V0214_NO_PLUGINS = KestraVersion.parse("0.21.4-no-plugins");
  private static final KestraVersion V100 = KestraVersion.parse("1.0.0");

  @Test
  void starMatchesEverything() {
    FaultSelector s = FaultSelector.parse("*");
    assertThat(s.matches("worker", V0214)).isTrue();
    assertThat(s.matches("migrate", V100)).isTrue();
  }

  @Test
  void kindMatchesThatKindOnly() {
    FaultSelector s = FaultSelector.parse("Worker");
    assertThat(s.matches("worker", V0214)).isTrue();
    assertThat(s.matches("standalone", V0214)).isFalse();
  }

  @Test
  void versionWithoutFlavourMatchesEveryFlavour() {
    FaultSelector s = FaultSelector.parse("v0.21.4");
    assertThat(s.matches("executor", V0214)).isTrue();
    assertThat(s.matches("executor", V0214_NO_PLUGINS)).isTrue();
    assertThat(s.matches("executor", V100)).isFalse();
  }

  @Test
  void versionWithFlavourMatchesOnlyThatFlavour() {
    FaultSelector s = FaultSelector.parse("0.21.4-no-plugins");
    assertThat(s.matches("executor", V0214_NO_PLUGINS)).isTrue();
    assertThat(s.matches("executor", V0214)).isFalse();
  }

  @Test
  void kindAtVersionNeedsBoth() {
    FaultSelector s = FaultSelector.parse(" worker@0.21.4 ");
    assertThat(s.matches("worker", V0214)).isTrue();
    assertThat(s.matches("worker", V100)).isFalse();
    assertThat(s.matches("executor", V0214)).isFalse();
    assertThat(FaultSelector.parse("migrate@1.0.0").matches("migrate", V100)).isTrue();
  }

  @Test
  void refusesUnknownKindsAndVersions() {
    assertThatThrownBy(() -> FaultSelector.parse("workers"))
        .hasMessageContaining("neither *, a kind");
    assertThatThrownBy(() -> FaultSelector.parse("robot@0.21.4"))
        .hasMessageContaining("unknown kind 'robot'");
    assertThatThrownBy(() -> FaultSelector.parse("worker@latest"))
        .hasMessageContaining("worker@latest");
  }
}
