package io.kestra.upgrade.sandbox.stack;

import java.nio.ByteBuffer;
import java.nio.file.Path;
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

  /** A new cluster id: a base64url UUID of 22 characters, as Kafka wants it. */
  static String clusterId() {
    UUID u = UUID.randomUUID();
    ByteBuffer b = ByteBuffer.allocate(16);
    b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  static String serverProperties(Path logDir) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=localhost:" + Ports.KAFKA_CONTROLLER,
        "listeners=PLAINTEXT://localhost:"
            + Ports.KAFKA
            + ",CONTROLLER://localhost:"
            + Ports.KAFKA_CONTROLLER,
        "advertised.listeners=PLAINTEXT://localhost:" + Ports.KAFKA,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + logDir,
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=3",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "num.partitions=3",
        "auto.create.topics.enable=false",
        "");
  }
}
