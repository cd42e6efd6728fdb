package io.kestra.upgrade.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kestra.upgrade.common.DeadLetterHeaders;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.testsupport.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loop against the real broker: values are plain names, anything else is malformed. */
class RecordLoopIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static final RecordLoop.Decoder<String> NAMES =
      value -> {
        String text = new String(value, StandardCharsets.UTF_8);
        if (!text.matches("[a-z0-9-]+")) {
          throw new MalformedRecordException("not a record name: " + text);
        }
        return text;
      };

  /** One record as a member handled it, in the order of handling across the group. */
  private record Handled(String member, int partition, long offset, String value) {}

  private final List<RecordLoop<String>> loops = new ArrayList<>();
  private final List<Handled> handled = new CopyOnWriteArrayList<>();
  private String topic;
  private String deadLetterTopic;
  private String group;
  private KafkaProducer<String, byte[]> producer;
  private Admin admin;

  @BeforeEach
  void setUp() {
    producer = KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "it-producer");
    admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
    group = "it-" + UUID.randomUUID();
  }

  @AfterEach
  void tearDown() {
    loops.forEach(RecordLoop::close);
    producer.close();
    admin.close();
  }

  private void createTopics(int partitions) {
    Topics topics = new Topics("it" + UUID.randomUUID().toString().substring(0, 8));
    TopicAdmin.ensureTopics(TestKafka.bootstrapServers(), topics, partitions, (short) 1);
    topic = topics.commands();
    deadLetterTopic = topics.deadLetter();
  }

  private RecordLoop<String> startMember(
      String clientId,
      Predicate<ConsumerRecord<String, byte[]>> filter,
      RecordLoop.Handler<String> handler)
      throws InterruptedException {
    RecordLoop<String> loop =
        RecordLoop.builder(topic, NAMES)
            .consumer(
                KafkaClients.consumer(TestKafka.bootstrapServers(), group, clientId, "earliest"))
            .deadLetters(new DeadLetters(producer, deadLetterTopic))
            .filter(filter)
            .handler(
                (record, value) -> {
                  handled.add(new Handled(clientId, record.partition(), record.offset(), value));
                  return handler.handle(record, value);
                })
            .build();
    loops.add(loop);
    loop.start(clientId);
    assertThat(loop.awaitAssignment(WAIT)).isTrue();
    return loop;
  }

  private RecordLoop<String> startMember(RecordLoop.Handler<String> handler)
      throws InterruptedException {
    return startMember("it-member", record -> true, handler);
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  private RecordMetadata send(ProducerRecord<String, byte[]> record) throws Exception {
    return producer.send(record).get();
  }

  private RecordMetadata send(int partition, String key, String value) throws Exception {
    return send(
        new ProducerRecord<>(topic, partition, key, value.getBytes(StandardCharsets.UTF_8)));
  }

  private RecordMetadata send(int partition, String value) throws Exception {
    return send(partition, "k", value);
  }

  private List<String> values(Predicate<Handled> which) {
    return handled.stream().filter(which).map(Handled::value).toList();
  }

  private List<String> values() {
    return values(h -> true);
  }

  private List<ConsumerRecord<String, byte[]>> readDeadLetters(int expected) {
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c =
        KafkaClients.consumer(
            TestKafka.bootstrapServers(), "dlq-" + UUID.randomUUID(), "dlq", "earliest")) {
      c.subscribe(List.of(deadLetterTopic));
      await()
          .atMost(WAIT)
          .until(
              () -> {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                return out.size() >= expected;
              });
    }
    return out;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static List<String> headerNames(ConsumerRecord<String, byte[]> record) {
    return StreamSupport.stream(record.headers().spliterator(), false).map(Header::key).toList();
  }

  private long committed(int partition) throws Exception {
    OffsetAndMetadata offset =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get()
            .get(new TopicPartition(topic, partition));
    return offset == null ? -1 : offset.offset();
  }

  private long deadLettersWritten() throws Exception {
    TopicPartition tp = new TopicPartition(deadLetterTopic, 0);
    return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
  }

  @Test
  void malformedRecordIsSetAsideAsReceivedWithSmallRyesHeadersAndTheNextOneIsHandled()
      throws Exception {
    createTopics(1);
    startMember((record, value) -> done());
    send(0, "w1", "first");
    ProducerRecord<String, byte[]> bad =
        new ProducerRecord<>(
            topic, 0, "w2", "{definitely not a name".getBytes(StandardCharsets.UTF_8));
    bad.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
    long badOffset = send(bad).offset();
    send(0, "w3", "second");

    await().atMost(WAIT).until(() -> values().size() == 2);
    assertThat(values()).containsExactly("first", "second");
    ConsumerRecord<String, byte[]> dead = readDeadLetters(1).get(0);
    assertThat(dead.key()).isEqualTo("w2");
    assertThat(dead.value()).isEqualTo(bad.value());
    assertThat(headerNames(dead))
        .containsExactlyInAnyOrder(
            DeadLetterHeaders.EXCEPTION_CLASS,
            DeadLetterHeaders.REASON,
            DeadLetterHeaders.TOPIC,
            DeadLetterHeaders.PARTITION,
            DeadLetterHeaders.OFFSET,
            "trace");
    assertThat(header(dead, DeadLetterHeaders.EXCEPTION_CLASS))
        .isEqualTo(MalformedRecordException.class.getName());
    assertThat(header(dead, DeadLetterHeaders.REASON))
        .isEqualTo("not a record name: {definitely not a name");
    assertThat(header(dead, DeadLetterHeaders.TOPIC)).isEqualTo(topic);
    assertThat(header(dead, DeadLetterHeaders.PARTITION)).isEqualTo("0");
    assertThat(header(dead, DeadLetterHeaders.OFFSET)).isEqualTo(Long.toString(badOffset));
    assertThat(header(dead, "trace")).isEqualTo("t-1");
  }

  @Test
  void aHandlerThatThrowsOrAStageThatFailsHasItsRecordSetAsideOnceWithTheFailureAndItsCause()
      throws Exception {
    createTopics(1);
    AtomicInteger attempts = new AtomicInteger();
    startMember(
        (record, value) -> {
          if (value.equals("throws")) {
            attempts.incrementAndGet();
            throw new IllegalStateException("database refused", new IOException("disk full"));
          }
          if (value.equals("fails-later")) {
            return CompletableFuture.runAsync(
                () -> {
                  throw new IllegalArgumentException("names an unknown upgrade");
                });
          }
          return done();
        });
    send(0, "throws");
    send(0, "fails-later");
    send(0, "after");

    await().atMost(WAIT).until(() -> values().contains("after"));
    assertThat(values()).containsExactly("throws", "fails-later", "after");
    assertThat(attempts).hasValue(1);
    List<ConsumerRecord<String, byte[]>> dead = readDeadLetters(2);
    assertThat(dead).hasSize(2);
    assertThat(header(dead.get(0), DeadLetterHeaders.EXCEPTION_CLASS))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(header(dead.get(0), DeadLetterHeaders.REASON)).isEqualTo("database refused");
    assertThat(header(dead.get(0), DeadLetterHeaders.CAUSE_CLASS))
        .isEqualTo(IOException.class.getName());
    assertThat(header(dead.get(0), DeadLetterHeaders.CAUSE)).isEqualTo("disk full");
    assertThat(header(dead.get(1), DeadLetterHeaders.EXCEPTION_CLASS))
        .isEqualTo(IllegalArgumentException.class.getName());
    assertThat(header(dead.get(1), DeadLetterHeaders.REASON)).isEqualTo("names an unknown upgrade");
    assertThat(headerNames(dead.get(1)))
        .doesNotContain(DeadLetterHeaders.CAUSE, DeadLetterHeaders.CAUSE_CLASS);
  }

  @Test
  void nextRecordWaitsWithItsPartitionPausedUntilTheHeldOneCompletes() throws Exception {
    createTopics(1);
    CompletableFuture<Void> slow = new CompletableFuture<>();
    RecordLoop<String> loop = startMember((record, value) -> value.equals("slow") ? slow : done());
    send(0, "slow");
    send(0, "next");

    TopicPartition tp = new TopicPartition(topic, 0);
    await().atMost(WAIT).until(() -> loop.pausedPartitions().equals(Set.of(tp)));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> values().equals(List.of("slow")));
    slow.complete(null);
    await().atMost(WAIT).until(() -> values().size() == 2);
    assertThat(values()).containsExactly("slow", "next");
    await().atMost(WAIT).until(() -> loop.pausedPartitions().isEmpty());
  }

  @Test
  void recordsTheFilterRefusesAreCommittedUnseenAndTheAcceptedOnesKeepTheirOrder()
      throws Exception {
    createTopics(1);
    startMember("it-member", record -> record.key().startsWith("mine/"), (r, v) -> done());
    // the refused values do not even decode: handing them to the decoder would set them aside
    String[][] records = {
      {"mine/1", "a1"},
      {"theirs/1", "{not for me"},
      {"mine/2", "a2"},
      {"theirs/2", "{not for me"},
      {"theirs/3", "{not for me"},
      {"mine/3", "a3"},
      {"theirs/4", "{not for me"}
    };
    for (String[] record : records) {
      send(0, record[0], record[1]);
    }

    await().atMost(WAIT).until(() -> committed(0) == records.length);
    assertThat(values()).containsExactly("a1", "a2", "a3");
    // a record is set aside before it is committed: nothing was
    assertThat(deadLettersWritten()).isZero();
  }

  /**
   * A member joins while the first holds a record with records of both partitions queued behind it.
   * The consumers' default assignor (range, eager) gives the first partition to the member whose id
   * sorts first: the joining member's client id is chosen so that the first member keeps the
   * partition of its held record, and the joining one takes the other.
   */
  @Test
  void aMemberJoiningWhileTheFirstHoldsARecordTakesTheOtherPartitionFromTheLastCommit()
      throws Exception {
    createTopics(2);
    RecordLoop<String> early = startMember("early", record -> true, (r, v) -> done());
    send(0, "w0");
    send(1, "w1");
    await().atMost(WAIT).until(() -> values().size() == 2);
    loops.remove(early);
    early.close();
    // published before the first member starts: its first poll brings both partitions' records
    List<String> phase2 = List.of("p2-a1", "p2-a2", "p2-a3", "p2-b1", "p2-b2", "p2-b3");
    for (String value : phase2) {
      send(value.startsWith("p2-a") ? 0 : 1, value);
    }
    CompletableFuture<Void> hold = new CompletableFuture<>();
    AtomicReference<Handled> held = new AtomicReference<>();
    RecordLoop<String> first =
        startMember(
            "m1",
            record -> true,
            (record, value) ->
                held.compareAndSet(
                        null, new Handled("m1", record.partition(), record.offset(), value))
                    ? hold
                    : done());
    await().atMost(WAIT).until(() -> held.get() != null);
    int kept = held.get().partition();
    int taken = 1 - kept;

    String secondId = kept == 0 ? "m2" : "m0";
    RecordLoop<String> second = startMember(secondId, record -> true, (r, v) -> done());
    send(taken, "p3-1");
    send(taken, "p3-2");
    send(kept, "p3-3");

    // the joining member reads the taken partition from the last commit: after w0 or w1, which
    // the early member handled, with what the first had queued and what came since
    String takenPrefix = taken == 0 ? "p2-a" : "p2-b";
    List<String> takenOver =
        List.of(takenPrefix + "1", takenPrefix + "2", takenPrefix + "3", "p3-1", "p3-2");
    await().atMost(WAIT).until(() -> values(h -> h.member().equals(secondId)).size() >= 5);
    assertThat(values(h -> h.member().equals(secondId))).containsExactlyElementsOf(takenOver);
    assertThat(second.assignedPartitions()).containsExactly(new TopicPartition(topic, taken));
    // the first member kept its partition, paused, and handled nothing while it held the record
    TopicPartition keptPartition = new TopicPartition(topic, kept);
    await().atMost(WAIT).until(() -> first.pausedPartitions().equals(Set.of(keptPartition)));
    assertThat(first.assignedPartitions()).containsExactly(keptPartition);
    assertThat(values(h -> h.member().equals("m1"))).containsExactly(held.get().value());

    hold.complete(null);
    String keptPrefix = kept == 0 ? "p2-a" : "p2-b";
    List<String> keptValues = new ArrayList<>(List.of("w" + kept));
    keptValues.addAll(List.of(keptPrefix + "1", keptPrefix + "2", keptPrefix + "3", "p3-3"));
    await()
        .atMost(WAIT)
        .until(() -> values(h -> h.partition() == kept).size() >= keptValues.size());
    assertThat(values(h -> h.partition() == kept)).containsExactlyElementsOf(keptValues);
    assertThat(handled)
        .filteredOn(h -> h.partition() == kept && h.offset() > 0)
        .allMatch(h -> h.member().equals("m1"));
    // across the group every record was handled once, each partition in offset order
    List<String> all = new ArrayList<>(List.of("w0", "w1", "p3-1", "p3-2", "p3-3"));
    all.addAll(phase2);
    assertThat(values()).containsExactlyInAnyOrderElementsOf(all);
    for (int partition = 0; partition < 2; partition++) {
      int p = partition;
      long[] offsets =
          handled.stream().filter(h -> h.partition() == p).mapToLong(Handled::offset).toArray();
      long[] expected = LongStream.range(0, offsets.length).toArray();
      assertThat(offsets).containsExactly(expected);
    }
  }
}
