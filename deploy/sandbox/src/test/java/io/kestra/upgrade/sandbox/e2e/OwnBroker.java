package io.kestra.upgrade.sandbox.e2e;

import io.kestra.upgrade.sandbox.stack.KafkaBroker;
import io.kestra.upgrade.sandbox.stack.Layout;
import io.kestra.upgrade.sandbox.stack.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A Kafka broker of one test class's own, the sandbox's {@link KafkaBroker} on free ports under
 * {@code deploy/sandbox/target/e2e/}: a test may kill it and start it again (an outage), or have it
 * require SASL/SCRAM, without touching the broker the other tests share.
 */
final class OwnBroker {

  private OwnBroker() {}

  /** Starts a new broker named {@code name}, requiring {@code scram} credentials when given. */
  static KafkaBroker start(String name, Optional<KafkaBroker.Scram> scram) throws Exception {
    Layout layout = Layout.detect();
    Path home =
        Files.createDirectories(
            layout
                .repo()
                .resolve(
                    "deploy/sandbox/target/e2e/broker-"
                        + name
                        + "-"
                        + Instant.now().toEpochMilli()));
    KafkaBroker broker =
        new KafkaBroker(
            layout.kafkaLibs(),
            home,
            new ManagedProcess(
                "kafka-" + name, home.resolve("kafka.pid"), home.resolve("kafka.log")),
            CoordinatorProcess.freePort(),
            CoordinatorProcess.freePort(),
            scram);
    broker.start(System.out);
    return broker;
  }

  /** The scenario's view of {@code broker}: its bootstrap servers and client properties. */
  static Scenario.Kafka of(KafkaBroker broker) {
    return new Scenario.Kafka(broker.bootstrap(), broker.clientProperties());
  }
}
