package io.kestra.upgrade.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Gives a Quarkus test the real broker of {@link TestKafka} as {@code kafka.bootstrap.servers}. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return Map.of("kafka.bootstrap.servers", TestKafka.bootstrapServers());
  }

  @Override
  public void stop() {
    // shared by every test of the JVM; stopped by TestKafka's shutdown hook
  }
}
