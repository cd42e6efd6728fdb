package io.kestra.upgrade.sandbox.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;

/**
 * An Apache Kafka broker from Kafka's own jars ({@code deploy/kafka-broker/target/libs}), one
 * combined KRaft node on {@link Ports#KAFKA}; its storage is formatted at the first start.
 */
final class KafkaPart implements Part {

  private final ManagedProcess process;
  private final KafkaBroker broker;

  KafkaPart(Layout layout) {
    this.process = ManagedProcess.of(layout, "kafka");
    this.broker =
        new KafkaBroker(
            layout.kafkaLibs(),
            layout.data("kafka"),
            process,
            Ports.KAFKA,
            Ports.KAFKA_CONTROLLER,
            Optional.empty());
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public void start(PrintStream out) throws IOException, InterruptedException {
    broker.start(out);
  }

  @Override
  public Optional<ManagedProcess> process() {
    return Optional.of(process);
  }

  @Override
  public boolean running() {
    return process.isRunning();
  }

  @Override
  public PartStatus status() {
    return PartStatus.of(name(), process, "bootstrap localhost:" + Ports.KAFKA);
  }

  @Override
  public void stop() {
    broker.stop();
  }
}
