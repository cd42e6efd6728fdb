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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
  private static final String KEY = "agent/worker/w1";

  private static final RecordLoop.Decoder<String> NAMES =
      value -> {
        String text = new String(value, StandardCharsets.UTF_8);
        if (!text.matches("[a-z0-9-]+")) {
          throw new MalformedRecordException("not a record name: " + text);
        }
        return text;
      };

  /** A position store in memory, remembering every save. */
  private static final class MemoryPositions implements RecordLoop.PositionStore {
    final List<Position> saved = new CopyOnWriteArrayList<>();

    @Override
    public Optional<Position> loadPosition() {
      return saved.isEmpty() ? Optional.empty() : Optional.of(saved.get(saved.size() - 1));
    }

    @Override
    public void savePosition(Position position) {
      saved.add(position);
    }

    long offset() {
      return loadPosition().map(Position::offset).orElse(-1L);
    }
  }

  /** One record as the loop handled it. */
  private record Handled(int partition, long offset, String value) {}

  private final List<RecordLoop<String>> loops = new ArrayList<>();
  private final List<Handled> handled = new CopyOnWriteArrayList<>();
  private final MemoryPositions positions = new MemoryPositions();
  private String topic;
  private String deadLetterTopic;
  private String clientId;
  private KafkaProducer<String, byte[]> producer;
  private Admin admin;

  @BeforeEach
  void setUp() {
    producer = KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "it-producer");
    admin = KafkaClients.admin(KafkaClients.bootstrapOnly(TestKafka.bootstrapServers()));
    clientId = "it-loop-" + UUID.randomUUID();
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

  private RecordLoop<String> startLoop(
      RecordLoop.Handler<String> handler, int attempts, Map<String, String> consumerProperties)
      throws InterruptedException {
    Map<String, String> client =
        new java.util.HashMap<>(KafkaClients.bootstrapOnly(TestKafka.bootstrapServers()));
    client.putAll(consumerProperties);
    RecordLoop<String> loop =
        RecordLoop.builder(topic, NAMES)
            .consumer(KafkaClients.assignedConsumer(client, clientId))
            .key(KEY)
            .positions(positions)
            .deadLetters(new DeadLetters(producer, deadLetterTopic))
            .attempts(attempts)
            .handler(
                (record, value) -> {
                  handled.add(new Handled(record.partition(), record.offset(), value));
                  return handler.handle(record, value);
                })
            .build();
    loops.add(loop);
    loop.start(clientId);
    assertThat(loop.awaitPositioned(WAIT)).isTrue();
    return loop;
  }

  private RecordLoop<String> startLoop(RecordLoop.Handler<String> handler)
      throws InterruptedException {
    return startLoop(handler, 1, Map.of());
  }

  private void stop(RecordLoop<String> loop) {
    loops.remove(loop);
    loop.close();
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  private RecordMetadata send(ProducerRecord<String, byte[]> record) throws Exception {
    return producer.send(record).get();
  }

  /** Sent as a producer sends it: the partition is the key's. */
  private RecordMetadata send(String key, String value) throws Exception {
    return send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)));
  }

  private RecordMetadata send(String value) throws Exception {
    return send(KEY, value);
  }

  private List<String> values() {
    return handled.stream().map(Handled::value).toList();
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

  private long endOffset(TopicPartition tp) throws Exception {
    return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
  }

  private long deadLettersWritten() throws Exception {
    return endOffset(new TopicPartition(deadLetterTopic, 0));
  }

  private int keyPartition(int partitions) {
    return KeyPartitions.partitionOf(KEY, partitions);
  }

  @Test
  void theKeysPartitionIsTheOneTheProducersDefaultPartitionerChooses() throws Exception {
    topic = "it-partitions-" + UUID.randomUUID();
    int partitions = 7;
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    for (int i = 0; i < 60; i++) {
      String key = "cluster-" + i + "/worker/w-" + UUID.randomUUID();
      RecordMetadata sent = send(key, "v");
      assertThat(KeyPartitions.partitionOf(key, partitions))
          .as("partition of %s", key)
          .isEqualTo(sent.partition());
    }
  }

  @Test
  void aBrandNewLoopStartsAtTheEndStoresThatAtOnceAndJoinsNoConsumerGroup() throws Exception {
    createTopics(3);
    send("history-1");
    long end = send("history-2").offset() + 1;
    RecordLoop<String> loop = startLoop((record, value) -> done());

    TopicPartition tp = new TopicPartition(topic, keyPartition(3));
    assertThat(loop.assignedPartition()).contains(tp);
    assertThat(positions.saved.get(0).partition()).isEqualTo(tp.partition());
    assertThat(positions.saved.get(0).offset()).isEqualTo(end);
    send("fresh");
    await().atMost(WAIT).until(() -> values().contains("fresh"));
    assertThat(values()).containsExactly("fresh");
    // no consumer group has this loop among its members, nor any offsets of the topic
    Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get();
    List<String> ids = groups.stream().map(ConsumerGroupListing::groupId).toList();
    Map<String, ConsumerGroupDescription> described =
        ids.isEmpty() ? Map.of() : admin.describeConsumerGroups(ids).all().get();
    assertThat(described.values())
        .flatExtracting(ConsumerGroupDescription::members)
        .noneMatch(member -> member.clientId().equals(clientId));
    for (String group : ids) {
      assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get())
          .doesNotContainKey(tp);
    }
  }

  @Test
  void aRestartedLoopResumesAfterItsLastHandledRecordAndReadsWhatCameWhileItWasDown()
      throws Exception {
    createTopics(3);
    RecordLoop<String> first = startLoop((record, value) -> done());
    send("before-1");
    send("before-2");
    await().atMost(WAIT).until(() -> values().size() == 2);
    long handledUpTo = handled.get(1).offset() + 1;
    await().atMost(WAIT).until(() -> positions.offset() == handledUpTo);
    stop(first);
    send("while-down-1");
    send("while-down-2");

    startLoop((record, value) -> done());
    send("after");
    await().atMost(WAIT).until(() -> values().size() == 5);
    assertThat(values())
        .containsExactly("before-1", "before-2", "while-down-1", "while-down-2", "after");
  }

  @Test
  void malformedRecordIsSetAsideAsReceivedWithSmallRyesHeadersAndTheNextOneIsHandled()
      throws Exception {
    createTopics(1);
    startLoop((record, value) -> done());
    send("first");
    ProducerRecord<String, byte[]> bad =
        new ProducerRecord<>(topic, KEY, "{definitely not a name".getBytes(StandardCharsets.UTF_8));
    bad.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
    long badOffset = send(bad).offset();
    send("second");

    await().atMost(WAIT).until(() -> values().size() == 2);
    assertThat(values()).containsExactly("first", "second");
    ConsumerRecord<String, byte[]> dead = readDeadLetters(1).get(0);
    assertThat(dead.key()).isEqualTo(KEY);
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
  void aHandlerThatKeepsFailingIsRetriedABoundedNumberOfTimesThenItsRecordIsSetAside()
      throws Exception {
    createTopics(1);
    AtomicInteger throwing = new AtomicInteger();
    AtomicInteger failingLater = new AtomicInteger();
    AtomicInteger flaky = new AtomicInteger();
    startLoop(
        (record, value) -> {
          switch (value) {
            case "throws" -> {
              throwing.incrementAndGet();
              throw new IllegalStateException("database refused", new IOException("disk full"));
            }
            case "fails-later" -> {
              failingLater.incrementAndGet();
              return CompletableFuture.runAsync(
                  () -> {
                    throw new IllegalArgumentException("names an unknown upgrade");
                  });
            }
            case "flaky" -> {
              if (flaky.incrementAndGet() == 1) {
                throw new IllegalStateException("once");
              }
              return done();
            }
            default -> {
              return done();
            }
          }
        },
        3,
        Map.of());
    send("throws");
    send("fails-later");
    send("flaky");
    send("after");

    await().atMost(WAIT).until(() -> values().contains("after"));
    assertThat(throwing).hasValue(3);
    assertThat(failingLater).hasValue(3);
    assertThat(flaky).hasValue(2);
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
    assertThat(deadLettersWritten()).isEqualTo(2);
  }

  @Test
  void theNextRecordWaitsWithThePartitionPausedAndThePositionOnTheHeldRecord() throws Exception {
    createTopics(1);
    CompletableFuture<Void> slow = new CompletableFuture<>();
    RecordLoop<String> loop = startLoop((record, value) -> value.equals("slow") ? slow : done());
    long slowOffset = send("slow").offset();
    send("next");

    await().atMost(WAIT).until(loop::isPaused);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> values().equals(List.of("slow")));
    assertThat(positions.offset()).isLessThanOrEqualTo(slowOffset);
    slow.complete(null);
    await().atMost(WAIT).until(() -> values().size() == 2);
    assertThat(values()).containsExactly("slow", "next");
    await().atMost(WAIT).until(() -> !loop.isPaused());
  }

  @Test
  void aHeldRecordAbandonedByACloseIsReadAgainByTheNextLoop() throws Exception {
    createTopics(1);
    RecordLoop<String> first = startLoop((record, value) -> new CompletableFuture<Void>());
    send("long-command");
    await().atMost(WAIT).until(first::isPaused);
    stop(first);

    startLoop((record, value) -> done());
    await().atMost(WAIT).until(() -> values().size() == 2);
    assertThat(values()).containsExactly("long-command", "long-command");
  }

  @Test
  void recordsOfOtherKeysAreSkippedUnseenAndThePositionPassesThemWithoutAWriteEach()
      throws Exception {
    createTopics(1);
    startLoop((r, v) -> done());
    int savesAtStart = positions.saved.size();
    // the other keys' values do not even decode: handing them to the decoder would set them aside
    String[][] records = {
      {KEY, "a1"},
      {"theirs/1", "{not for me"},
      {KEY, "a2"},
      {"theirs/2", "{not for me"},
      {"theirs/3", "{not for me"},
      {KEY, "a3"},
      {"theirs/4", "{not for me"},
      {"theirs/5", "{not for me"}
    };
    long last = -1;
    for (String[] record : records) {
      last = send(new ProducerRecord<>(topic, 0, record[0], record[1].getBytes())).offset();
    }

    long end = last + 1;
    await().atMost(WAIT).until(() -> positions.offset() == end);
    assertThat(values()).containsExactly("a1", "a2", "a3");
    assertThat(deadLettersWritten()).isZero();
    // one write per record of the key, and the skipped run after the last one in at most one
    assertThat(positions.saved.size() - savesAtStart).isLessThanOrEqualTo(4);
  }

  @Test
  void whenThePartitionCountGrowsTheLoopFollowsItsKeyToItsNewPartition() throws Exception {
    createTopics(1);
    int grown = 8;
    assertThat(keyPartition(grown)).as("the test needs a key that moves").isNotZero();
    AtomicReference<Integer> lastPartition = new AtomicReference<>();
    startLoop(
        (record, value) -> {
          lastPartition.set(record.partition());
          return done();
        },
        1,
        Map.of("metadata.max.age.ms", "500"));
    send("on-partition-0");
    await().atMost(WAIT).until(() -> values().size() == 1);

    admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(grown))).all().get();
    try (KafkaProducer<String, byte[]> fresh =
        KafkaClients.reliableProducer(TestKafka.bootstrapServers(), "it-fresh")) {
      await().atMost(WAIT).until(() -> fresh.partitionsFor(topic).size() == grown);
      RecordMetadata moved =
          fresh.send(new ProducerRecord<>(topic, KEY, "on-new-partition".getBytes())).get();
      assertThat(moved.partition()).isEqualTo(keyPartition(grown));
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> values().contains("on-new-partition"));
    assertThat(lastPartition.get()).isEqualTo(keyPartition(grown));
    assertThat(positions.loadPosition().orElseThrow().partition()).isEqualTo(keyPartition(grown));
  }
}
