package io.kestra.upgrade.testsupport;

import java.util.Optional;

/**
 * A real Kafka broker for integration tests, shared by every test of the JVM: an {@link
 * EmbeddedKafka} started at the first call, or the external broker named by {@code
 * KAFKA_BOOTSTRAP_SERVERS}.
 */
public final class TestKafka {

  /** The environment variable naming an external broker to use instead of the embedded one. */
  public static final String ENV_BOOTSTRAP = "KAFKA_BOOTSTRAP_SERVERS";

  private static String bootstrapServers;

  private TestKafka() {}

  /** The bootstrap servers of the broker, starting the embedded one at the first call. */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      bootstrapServers =
          Optional.ofNullable(System.getenv(ENV_BOOTSTRAP))
              .filter(s -> !s.isBlank())
              .orElseGet(TestKafka::startEmbedded);
    }
    return bootstrapServers;
  }

  private static String startEmbedded() {
    EmbeddedKafka kafka = EmbeddedKafka.start();
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "test-kafka-stop"));
    return kafka.bootstrapServers();
  }
}
