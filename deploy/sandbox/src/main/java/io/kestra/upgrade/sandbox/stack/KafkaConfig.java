package io.kestra.upgrade.sandbox.stack;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/** Kafka's server configuration for one combined KRaft node, and its logging. */
final class KafkaConfig {

  /** The broker's own logging: warnings of Kafka's internals, the server's INFO lines. */
  static final String LOG4J =
      """
      rootLogger.level=INFO
      rootLogger.appenderRef.stdout.ref=STDOUT
      appender.stdout.type=Console
      appender.stdout.name=STDOUT
      appender.stdout.layout.type=PatternLayout
      appender.stdout.layout.pattern=[%d] %p %m (%c)%n
      logger.kafka.name=org.apache.kafka
      logger.kafka.level=WARN
      """;

  private KafkaConfig() {}

  /**
   * A new cluster id: a base64url UUID of 22 characters, as Kafka wants it, never starting with
   * {@code -}: {@code kafka-storage format -t -x…} reads such an id as an option and refuses the
   * command line (one id in 64; Kafka's own {@code Uuid.randomUuid} skips them for that reason).
   */
  static String clusterId() {
    String id;
    do {
      UUID u = UUID.randomUUID();
      ByteBuffer b = ByteBuffer.allocate(16);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    } while (id.startsWith("-"));
    return id;
  }
}
