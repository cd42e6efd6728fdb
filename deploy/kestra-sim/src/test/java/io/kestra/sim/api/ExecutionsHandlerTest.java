package io.kestra.sim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecutionsHandlerTest {

  @Test
  void taskDurationIsIsoOrMilliseconds() throws Exception {
    assertThat(ExecutionsHandler.taskDurationMs("PT30S")).isEqualTo(30_000);
    assertThat(ExecutionsHandler.taskDurationMs("1500")).isEqualTo(1_500);
    assertThat(ExecutionsHandler.taskDurationMs("2s")).isEqualTo(2_000);
    assertThatThrownBy(() -> ExecutionsHandler.taskDurationMs("soon"))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> ExecutionsHandler.taskDurationMs("PT-1S"))
        .isInstanceOf(BadRequestException.class);
  }
}
