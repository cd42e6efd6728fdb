package io.kestra.upgrade.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Kafka broker for integration tests: a combined KRaft node started once per JVM, or the
 * external broker named by {@code KAFKA_BOOTSTRAP_SERVERS}.
 */
public final class TestKafka {

  /** The environment variable naming an external broker to use instead of the embedded one. */
  public static final String ENV_BOOTSTRAP = "KAFKA_BOOTSTRAP_SERVERS";

  private static String bootstrapServers;
  private static KafkaClusterTestKit cluster;
  private static Path baseDirectory;

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
    try {
      // our own folder, deleted by our hook after the broker is closed: with the kit's default temp
      // folders, Kafka's exit hook deletes them while the broker still runs, and the broker then
      // halts the JVM with status 1 on a "failed" log directory
      baseDirectory = Files.createTempDirectory("test-kafka");
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setBaseDirectory(baseDirectory)
              .setCombined(true)
              .setNumBrokerNodes(1)
              .setNumControllerNodes(1)
              .build();
      KafkaClusterTestKit kit =
          new KafkaClusterTestKit.Builder(nodes)
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("offsets.topic.num.partitions", "3")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("auto.create.topics.enable", "true")
              .setDeleteOnClose(false)
              .build();
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      cluster = kit;
      Runtime.getRuntime().addShutdownHook(new Thread(TestKafka::stop, "test-kafka-stop"));
      return kit.bootstrapServers();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the test Kafka broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test Kafka broker", e);
    }
  }

  private static synchronized void stop() {
    if (cluster != null) {
      try {
        cluster.close();
      } catch (Exception e) {
        // the JVM is exiting: nothing left to protect, the temp folders go with it
        System.err.println("test Kafka broker did not close cleanly: " + e);
      }
      cluster = null;
    }
    if (baseDirectory != null) {
      try (Stream<Path> files = Files.walk(baseDirectory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        System.err.println("test Kafka folder " + baseDirectory + " not deleted: " + e);
      }
    }
  }
}
