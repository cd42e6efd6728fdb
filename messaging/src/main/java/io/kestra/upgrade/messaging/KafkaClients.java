package io.kestra.upgrade.messaging;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka clients configured the way this product needs them. Keys are strings, values JSON bytes.
 *
 * <p>Each client's configuration is built in three layers, the later winning:
 *
 * <ol>
 *   <li>the product's defaults (timeouts, {@code linger.ms}, {@code max.poll.records}), which an
 *       operator may change;
 *   <li>the operator's client properties ({@code bootstrap.servers}, {@code security.protocol},
 *       {@code sasl.*}, {@code ssl.*}, anything else Kafka's clients take), given to every client;
 *   <li>the settings a guarantee rests on ({@link #PRODUCER_GUARANTEES}, {@link
 *       #CONSUMER_GUARANTEES}): client properties that set one of them otherwise are refused with
 *       {@link IllegalArgumentException}, never silently overridden.
 * </ol>
 */
public final class KafkaClients {

  /**
   * What the producer's promise (never duplicate nor reorder a record of one key, never lose an
   * acknowledged one) rests on, and the serializers the product's records need.
   */
  public static final Map<String, String> PRODUCER_GUARANTEES =
      Map.of(
          ProducerConfig.ACKS_CONFIG,
          "all",
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
          "true",
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
          StringSerializer.class.getName(),
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
          ByteArraySerializer.class.getName());

  /**
   * What a consumer handing each record over once it is settled rests on: nothing committed behind
   * the handler's back, and the deserializers the product's records need.
   */
  public static final Map<String, String> CONSUMER_GUARANTEES =
      Map.of(
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());

  private KafkaClients() {}

  /** Client properties naming only the broker. */
  public static Map<String, String> bootstrapOnly(String bootstrapServers) {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
  }

  /**
   * A producer that never duplicates nor reorders a record of one key: idempotent, {@code
   * acks=all}, retrying until the delivery timeout.
   */
  public static KafkaProducer<String, byte[]> reliableProducer(
      String bootstrapServers, String clientId) {
    return reliableProducer(bootstrapOnly(bootstrapServers), clientId);
  }

  /**
   * A producer as {@link #reliableProducer(String, String)}, with the operator's client properties.
   *
   * @throws IllegalArgumentException when the properties contradict a {@link #PRODUCER_GUARANTEES}
   */
  public static KafkaProducer<String, byte[]> reliableProducer(
      Map<String, String> clientProperties, String clientId) {
    return new KafkaProducer<>(producerConfig(clientProperties, clientId));
  }

  /** The configuration of {@link #reliableProducer(Map, String)}. */
  public static Map<String, Object> producerConfig(
      Map<String, String> clientProperties, String clientId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    // a command waits for nobody: send at once
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    return layered(p, clientProperties, PRODUCER_GUARANTEES);
  }

  /**
   * A consumer in a group that commits nothing by itself: the caller commits a record once it is
   * handled.
   *
   * @param offsetReset where a group without committed offsets starts: {@code earliest} or {@code
   *     latest}
   */
  public static KafkaConsumer<String, byte[]> consumer(
      String bootstrapServers, String groupId, String clientId, String offsetReset) {
    Map<String, Object> p =
        new HashMap<>(assignedConsumerConfig(bootstrapOnly(bootstrapServers), clientId));
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
    return new KafkaConsumer<>(p);
  }

  /**
   * A consumer outside any consumer group, for a caller that {@code assign}s its partitions and
   * keeps its position itself: it joins no group and commits nothing to the broker. A position that
   * is no longer in the log (deleted by retention, a topic created again) resets to the earliest
   * record.
   *
   * @throws IllegalArgumentException when the properties contradict a {@link #CONSUMER_GUARANTEES}
   *     or name a {@code group.id}
   */
  public static KafkaConsumer<String, byte[]> assignedConsumer(
      Map<String, String> clientProperties, String clientId) {
    return new KafkaConsumer<>(assignedConsumerConfig(clientProperties, clientId));
  }

  /** The configuration of {@link #assignedConsumer}. */
  public static Map<String, Object> assignedConsumerConfig(
      Map<String, String> clientProperties, String clientId) {
    if (clientProperties.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
      throw new IllegalArgumentException(
          "the client property group.id is refused: this consumer reads the partition it assigns"
              + " itself and keeps its position itself, in no consumer group");
    }
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
    // a change of the topic's partition count is seen within this time
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "30000");
    return layered(p, clientProperties, CONSUMER_GUARANTEES);
  }

  /** An admin client with the operator's client properties. */
  public static Admin admin(Map<String, String> clientProperties) {
    return Admin.create(adminConfig(clientProperties));
  }

  /** The configuration of {@link #admin}. */
  public static Map<String, Object> adminConfig(Map<String, String> clientProperties) {
    Map<String, Object> p = new HashMap<>();
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return layered(p, clientProperties, Map.of());
  }

  private static Map<String, Object> layered(
      Map<String, Object> defaults,
      Map<String, String> clientProperties,
      Map<String, String> guarantees) {
    if (!clientProperties.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("the client properties name no bootstrap.servers");
    }
    for (Map.Entry<String, String> guarantee : guarantees.entrySet()) {
      String given = clientProperties.get(guarantee.getKey());
      if (given != null && !same(given, guarantee.getValue())) {
        throw new IllegalArgumentException(
            "the client property "
                + guarantee.getKey()
                + "="
                + given
                + " is refused: the product relies on "
                + guarantee.getKey()
                + "="
                + guarantee.getValue()
                + " (leave it unset)");
      }
    }
    Map<String, Object> config = new HashMap<>(defaults);
    config.putAll(clientProperties);
    config.putAll(guarantees);
    return config;
  }

  private static boolean same(String given, String required) {
    return given.trim().toLowerCase(Locale.ROOT).equals(required.toLowerCase(Locale.ROOT));
  }
}
