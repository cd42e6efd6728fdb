package io.kestra.upgrade.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.Heartbeat;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordLoopIT {

  private final JsonCodec codec = JsonCodec.create();
  private Topics topics;
  private KafkaProducer<String, byte[]> producer;
  private RecordLoop<Heartbeat> loop;

  @BeforeEach
  void setUp() {
    topics = new Topics("it" + UUID.randomUUID().toString().substring(0, 8));
    TopicAdmin.ensureTopics(TestKafka.bootstrapServers(), topics, 1, (short) 1);
    producer = KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "it-producer");
  }

  @AfterEach
  void tearDown() {
    if (loop != null) {
      loop.close();
    }
    producer.close();
  }

  private RecordLoop<Heartbeat> startLoop(RecordLoop.Handler<Heartbeat> handler)
      throws InterruptedException {
    String group = "it-" + UUID.randomUUID();
    loop =
        RecordLoop.builder(topics.heartbeats(), Heartbeat.class)
            .consumer(
                KafkaClients.consumer(TestKafka.bootstrapServers(), group, group, "earliest"),
                group)
            .deadLetters(new DeadLetters(producer, topics.deadLetter()))
            .handler(handler)
            .build();
    loop.start("it-loop");
    return loop;
  }

  private void send(String key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topics.heartbeats(), key, value)).get();
  }

  private byte[] heartbeat(String instance) {
    return codec.encode(
        new Heartbeat(
            1,
            UUID.randomUUID().toString(),
            "c/worker/" + instance,
            "c",
            ComponentKind.WORKER,
            instance,
            "1",
            "process",
            Set.of(),
            new Observed("0.21.4", ComponentState.RUNNING, true, 0),
            null,
            null,
            Instant.now()));
  }

  private List<ConsumerRecord<String, byte[]>> readDeadLetters(int expected) {
    List<ConsumerRecord<String, byte[]>> out = new CopyOnWriteArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        KafkaClients.consumer(
            TestKafka.bootstrapServers(), "dlq-" + UUID.randomUUID(), "dlq", "earliest")) {
      c.subscribe(List.of(topics.deadLetter()));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
              });
    }
    return out;
  }

  @Test
  void malformedRecordIsSetAsideAndTheNextOneIsHandled() throws Exception {
    List<String> handled = new CopyOnWriteArrayList<>();
    startLoop(
        (r, hb) -> {
          handled.add(hb.instance());
          return CompletableFuture.completedFuture(null);
        });
    send("c/worker/w1", heartbeat("w1"));
    send("c/worker/bad", "{definitely not json".getBytes(StandardCharsets.UTF_8));
    send("c/worker/w2", heartbeat("w2"));

    await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 2);
    assertThat(handled).containsExactly("w1", "w2");
    ConsumerRecord<String, byte[]> dead = readDeadLetters(1).get(0);
    assertThat(dead.key()).isEqualTo("c/worker/bad");
    assertThat(
            new String(
                dead.headers().lastHeader(DeadLetters.HEADER_OFFSET).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("1");
    assertThat(
            new String(
                dead.headers().lastHeader(DeadLetters.HEADER_ERROR).value(),
                StandardCharsets.UTF_8))
        .startsWith("not a valid Heartbeat");
  }

  @Test
  void transientFailureIsRetriedAndPoisonIsSetAside() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    List<String> handled = new CopyOnWriteArrayList<>();
    startLoop(
        (r, hb) -> {
          if (hb.instance().equals("flaky") && attempts.incrementAndGet() < 3) {
            throw new IllegalStateException("database briefly down");
          }
          if (hb.instance().equals("poison")) {
            throw new PoisonRecordException("names an unknown upgrade");
          }
          handled.add(hb.instance());
          return CompletableFuture.completedFuture(null);
        });
    send("k", heartbeat("flaky"));
    send("k", heartbeat("poison"));
    send("k", heartbeat("after"));

    await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 2);
    assertThat(handled).containsExactly("flaky", "after");
    assertThat(attempts.get()).isEqualTo(3);
    assertThat(readDeadLetters(1)).hasSize(1);
  }

  @Test
  void nextRecordWaitsUntilTheAsynchronousOneCompletes() throws Exception {
    CompletableFuture<Void> first = new CompletableFuture<>();
    List<String> started = new CopyOnWriteArrayList<>();
    startLoop(
        (r, hb) -> {
          started.add(hb.instance());
          return hb.instance().equals("slow") ? first : CompletableFuture.completedFuture(null);
        });
    send("k", heartbeat("slow"));
    send("k", heartbeat("next"));

    await().atMost(Duration.ofSeconds(20)).until(() -> started.contains("slow"));
    Thread.sleep(1_500); // a negative check: the second record must not start while the first runs
    assertThat(started).containsExactly("slow");
    first.complete(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 2);
    assertThat(started).containsExactly("slow", "next");
  }
}
