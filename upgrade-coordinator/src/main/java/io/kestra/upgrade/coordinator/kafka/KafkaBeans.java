package io.kestra.upgrade.coordinator.kafka;

import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.messaging.DeadLetters;
import io.kestra.upgrade.messaging.KafkaClients;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/** The coordinator's Kafka producer, shared by the outbox relay and the dead-letter copies. */
public class KafkaBeans {

  @Produces
  @Singleton
  @Named("outbox")
  Producer<String, byte[]> producer(CoordinatorConfig config) {
    return KafkaClients.reliableProducer(config.kafka().bootstrapServers(), "upgrade-coordinator");
  }

  void close(@Disposes @Named("outbox") Producer<String, byte[]> producer) {
    producer.close(Duration.ofSeconds(10));
  }

  @Produces
  @Singleton
  DeadLetters deadLetters(@Named("outbox") Producer<String, byte[]> producer, Topics topics) {
    return new DeadLetters(producer, topics.deadLetter());
  }
}
