package io.kestra.upgrade.sandbox.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.DeadLetterHeaders;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fault family "hostile input": while an upgrade runs, records that cannot be applied are
 * thrown at every consumer — not JSON, ids that are no UUIDs, a NUL character, an oversized text,
 * messages signed with another agent's key or not at all — and an outbox row the broker refuses
 * (too large) is slipped in front of the relay. Each is set aside (dead-letter topic, with its
 * reason; the refused row marked failed), nothing forged is executed, and the upgrade completes.
 */
class PoisonFaultIT {

  private static final JsonCodec CODEC = JsonCodec.create();
  private static Scenario scenario;

  @BeforeAll
  static void start() throws Exception {
    scenario = Scenario.start("poison", new Scenario.Kafka(TestKafka.bootstrapServers(), Map.of()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (scenario != null) {
      scenario.close();
    }
  }

  private static Ack ack(String agentId, String commandId, String message) {
    return new Ack(
        Message.SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        commandId,
        agentId,
        AckStatus.FAILED,
        null,
        message,
        new Observed("0.21.4", ComponentState.RUNNING, true, 0),
        Map.of(),
        Instant.now());
  }

  private static Command command(String agentId, String marker) {
    Instant now = Instant.now();
    return new Command(
        Message.SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        agentId,
        CommandType.STOP,
        null,
        Map.of("marker", marker),
        now,
        now.plusSeconds(300),
        null);
  }

  @Test
  void poisonOnEveryTopicIsSetAsideNothingForgedRunsAndTheUpgradeCompletes() throws Exception {
    AgentFleet fleet =
        scenario
            .fleet("poison")
            .server("executor", "executor-1", "BACKUP,MIGRATE")
            .server("worker", "worker-1", "", "-t", "2")
            .server("webserver", "webserver-1", "")
            .start(AgentFleet.VERSIONS);
    scenario.awaitReady(fleet);
    String worker = fleet.agentId("worker-1");
    MessageSigner own = MessageSigner.ofText(fleet.agentKey("worker-1"));
    MessageSigner another = MessageSigner.ofText(fleet.agentKey("executor-1"));
    String marker = UUID.randomUUID().toString();
    String id = scenario.startUpgrade(fleet, "1.0.0", "PT20S", "PT10S");

    Instant injected = Instant.now();
    List<String> forgedCommands = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      String acks = scenario.topics.acks();
      String heartbeats = scenario.topics.heartbeats();
      String commands = scenario.topics.commands();
      send(producer, acks, worker, ("{not json " + marker).getBytes(StandardCharsets.UTF_8));
      send(producer, acks, worker, CODEC.encode(own.sign(ack(worker, "x-" + marker, marker))));
      send(producer, acks, worker, CODEC.encode(own.sign(ack(worker, uuid(), marker + "\u0000"))));
      send(
          producer,
          acks,
          worker,
          CODEC.encode(own.sign(ack(worker, uuid(), marker + "y".repeat(20_000)))));
      send(producer, acks, worker, CODEC.encode(another.sign(ack(worker, uuid(), marker))));
      send(producer, acks, worker, CODEC.encode(ack(worker, uuid(), marker)));
      send(producer, heartbeats, worker, ("[" + marker + "]").getBytes(StandardCharsets.UTF_8));
      Command unsigned = command(worker, marker);
      Command forged = another.sign(command(worker, marker));
      forgedCommands.add(unsigned.commandId());
      forgedCommands.add(forged.commandId());
      send(producer, commands, worker, CODEC.encode(unsigned));
      send(producer, commands, worker, CODEC.encode(forged));
      send(
          producer,
          commands,
          worker,
          ("{\"marker\":\"" + marker + "\"").getBytes(StandardCharsets.UTF_8));
    }
    long refusedRow = insertOversizedOutboxRow(id, marker);
    JsonNode upgrade = scenario.awaitEnd(id);

    long lost = scenario.assertCompletedAndNothingLost(fleet, upgrade, "1.0.0");
    List<ConsumerRecord<String, byte[]>> dead = deadLettersHolding(marker, 10);
    assertThat(dead).allSatisfy(r -> assertThat(header(r, DeadLetterHeaders.REASON)).isNotBlank());
    assertThat(dead)
        .extracting(r -> header(r, DeadLetterHeaders.TOPIC))
        .contains(scenario.topics.acks(), scenario.topics.heartbeats(), scenario.topics.commands());
    assertThat(Journals.received(fleet.stateDir("worker-1")))
        .extracting(Journals.Received::commandId)
        .doesNotContainAnyElementsOf(forgedCommands);
    assertThat(
            scenario.db.count(
                "SELECT count(*) FROM outbox WHERE id=? AND failed_at IS NOT NULL AND sent_at IS NULL",
                refusedRow))
        .as("the oversized row is marked failed, not sent")
        .isEqualTo(1);
    FaultReport.add(
        new FaultReport.Row(
            "poison",
            "10 poison records (acks, heartbeats, commands) and a 2 MB outbox row",
            "PREPARE",
            upgrade.path("state").asText(),
            Duration.between(injected, scenario.db.firstEventAfter(id, injected).orElseThrow()),
            lost,
            "PoisonFaultIT"));
  }

  private static String uuid() {
    return UUID.randomUUID().toString();
  }

  /** An event row of 2 MB, more than the broker takes, in front of what the relay has to send. */
  private static long insertOversizedOutboxRow(String upgradeId, String marker) throws Exception {
    var db = scenario.installation.db();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO outbox (topic, msg_key, payload, headers, created_at, upgrade_id)"
                    + " VALUES (?,?,?,'{}'::jsonb,?,?::uuid) RETURNING id")) {
      ps.setString(1, scenario.topics.events());
      ps.setString(2, upgradeId);
      ps.setBytes(3, (marker + "z".repeat(2 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8));
      ps.setTimestamp(4, Timestamp.from(Instant.now()));
      ps.setString(5, upgradeId);
      var rs = ps.executeQuery();
      rs.next();
      return rs.getLong(1);
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, scenario.kafka.bootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  private static List<ConsumerRecord<String, byte[]>> deadLettersHolding(String marker, int n) {
    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, scenario.kafka.bootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "dead-" + marker);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(scenario.topics.deadLetter()));
      await("the poison on the dead-letter topic")
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                  if (new String(r.value(), StandardCharsets.UTF_8).contains(marker)) {
                    dead.add(r);
                  }
                }
                return dead.size() >= n;
              });
    }
    return dead;
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
