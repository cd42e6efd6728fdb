package io.kestra.upgrade.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentIdTest {

  @Test
  void parsesAndPrints() {
    AgentId id = AgentId.parse("prod/worker/worker-2");
    assertThat(id).isEqualTo(new AgentId("prod", ComponentKind.WORKER, "worker-2"));
    assertThat(id).hasToString("prod/worker/worker-2");
  }

  @Test
  void rejectsMalformedIdsSayingWhichPart() {
    assertThatThrownBy(() -> AgentId.parse("prod/worker"))
        .hasMessageContaining("<cluster>/<kind>/<instance>");
    assertThatThrownBy(() -> AgentId.parse("prod/gardener/g-1"))
        .hasMessageContaining("unknown component kind 'gardener'");
    assertThatThrownBy(() -> AgentId.parse("Prod/worker/w1"))
        .hasMessageStartingWith("cluster 'Prod'");
    assertThatThrownBy(() -> AgentId.parse("prod/worker/")).hasMessageStartingWith("instance ''");
    assertThatThrownBy(() -> AgentId.parse(null)).hasMessageContaining("missing");
  }
}
