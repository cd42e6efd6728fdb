package io.kestra.upgrade.sandbox.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {

  @Test
  void clusterIdsAreKafkasShapeAndNeverReadAsAnOption() {
    // one random id in 64 starts with '-': 5000 draws miss none of them but with odds of e^-78
    assertThat(IntStream.range(0, 5000).mapToObj(i -> KafkaConfig.clusterId()))
        .allSatisfy(
            id -> {
              assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]+");
              assertThat(id).doesNotStartWith("-");
            })
        .doesNotHaveDuplicates();
  }
}
