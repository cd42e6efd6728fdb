package io.kestra.upgrade.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real Kafka broker in the test JVM: one combined KRaft node, in a folder of its own. */
public final class EmbeddedKafka implements AutoCloseable {

  private final KafkaClusterTestKit cluster;
  private final Path baseDirectory;
  private final String bootstrapServers;
  private boolean closed;

  private EmbeddedKafka(KafkaClusterTestKit cluster, Path baseDirectory) {
    this.cluster = cluster;
    this.baseDirectory = baseDirectory;
    this.bootstrapServers = cluster.bootstrapServers();
  }

  /** Starts a broker and waits until it is ready (about 2 s). */
  public static EmbeddedKafka start() {
    Path base = null;
    try {
      // our own folder, deleted by close() after the broker: with the kit's default temp folders,
      // Kafka's exit hook deletes them while the broker still runs, and the broker then halts the
      // JVM with status 1 on a "failed" log directory
      base = Files.createTempDirectory("test-kafka");
      TestKitNodes nodes =
          new TestKitNodes.Builder()
              .setBaseDirectory(base)
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
      return new EmbeddedKafka(kit, base);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting a test Kafka broker", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start a test Kafka broker in " + base, e);
    }
  }

  /** Where clients connect. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Stops the broker and deletes its folder; later calls do nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      cluster.close();
    } catch (Exception e) {
      // a test that stops its broker on purpose goes on; the folder is deleted all the same
      System.err.println("test Kafka broker did not close cleanly: " + e);
    }
    try (Stream<Path> files = Files.walk(baseDirectory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("test Kafka folder " + baseDirectory + " not deleted: " + e);
    }
  }
}
