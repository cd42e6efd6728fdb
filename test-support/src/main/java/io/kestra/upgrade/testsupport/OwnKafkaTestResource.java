package io.kestra.upgrade.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a Quarkus test a broker of its own, which the test may stop (an outage): injected into the
 * test's {@link EmbeddedKafka} field, closed when the test class is done. Always embedded, never
 * the external broker of {@code KAFKA_BOOTSTRAP_SERVERS}, which is shared.
 */
public class OwnKafkaTestResource implements QuarkusTestResourceLifecycleManager {

  private EmbeddedKafka kafka;

  @Override
  public Map<String, String> start() {
    kafka = EmbeddedKafka.start();
    return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(kafka, new TestInjector.MatchesType(EmbeddedKafka.class));
  }

  @Override
  public void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }
}
