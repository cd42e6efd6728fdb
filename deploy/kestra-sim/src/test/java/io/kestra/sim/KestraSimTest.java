package io.kestra.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KestraSimTest {

  @Test
  void exitCodesOfCommandsThatNeedNoDatabase() {
    assertThat(KestraSim.run(new String[] {"--sim-version", "0.21.4", "--version"}, Instant.now()))
        .isZero();
    assertThat(KestraSim.run(new String[] {"--sim-version", "0.20.0", "--version"}, Instant.now()))
        .as("unknown version")
        .isEqualTo(1);
    assertThat(KestraSim.run(new String[] {"server", "worker"}, Instant.now()))
        .as("not started by a launcher")
        .isEqualTo(1);
    assertThat(
            KestraSim.run(new String[] {"--sim-version", "1.0.0", "server", "nope"}, Instant.now()))
        .as("usage error")
        .isEqualTo(2);
  }
}
