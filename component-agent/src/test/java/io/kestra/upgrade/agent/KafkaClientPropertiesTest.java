package io.kestra.upgrade.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.agent.core.AgentSettings;
import io.kestra.upgrade.messaging.KafkaClients;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * Every {@code kafka.*} property an operator sets reaches the configuration of each client the
 * agent makes (producer, consumer, admin), and none can undo a guarantee of the product.
 */
class KafkaClientPropertiesTest {

  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required"
          + " username=\"agent\" password=\"s3cret\";";

  private static SmallRyeConfig config(Map<String, String> properties, Map<String, String> env) {
    Map<String, String> all = new HashMap<>();
    all.put("agent.cluster", "prod");
    all.put("agent.kind", "worker");
    all.put("agent.instance", "worker-2");
    all.put("agent.state-dir", "/var/lib/kestra-agent");
    all.put("kafka.bootstrap.servers", "broker-1:9093");
    // these tests are about the Kafka properties; the signing key is another test's concern
    all.put("agent.insecure", "true");
    all.putAll(properties);
    return new SmallRyeConfigBuilder()
        .withMapping(AgentConfig.class)
        .withSources(new PropertiesConfigSource(all, "test", 250))
        .withSources(new EnvConfigSource(env, 300))
        .addDefaultInterceptors()
        .build();
  }

  private static Map<String, String> clientProperties(SmallRyeConfig config) {
    Map<String, String> kafka =
        AgentAssembly.kafkaProperties(
            config.getPropertyNames(), name -> config.getOptionalValue(name, String.class));
    AgentSettings settings =
        AgentAssembly.settings(
            config.getConfigMapping(AgentConfig.class),
            config.getValue("kafka.bootstrap.servers", String.class),
            kafka);
    return settings.kafka().clientProperties();
  }

  @Test
  void securitySaslAndSslPropertiesFromFileAndEnvironmentReachProducerConsumerAndAdmin() {
    SmallRyeConfig config =
        config(
            Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", JAAS,
                "kafka.ssl.truststore.location", "/etc/kafka/truststore.p12",
                "kafka.linger.ms", "5",
                "kafka-streams.application.id", "not-a-client-property"),
            Map.of(
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"));

    Map<String, String> client = clientProperties(config);
    Map<String, String> expected =
        Map.of(
            "bootstrap.servers", "broker-1:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", JAAS,
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "ssl.truststore.password", "changeit",
            "ssl.truststore.type", "PKCS12");
    assertThat(client).containsAllEntriesOf(expected).doesNotContainKey("application.id");

    // each client's own config, parsed by Kafka as the client would parse it
    ProducerConfig producer = new ProducerConfig(KafkaClients.producerConfig(client, "p"));
    ConsumerConfig consumer = new ConsumerConfig(KafkaClients.assignedConsumerConfig(client, "c"));
    AdminClientConfig admin = new AdminClientConfig(KafkaClients.adminConfig(client));
    for (var parsed : java.util.List.of(producer, consumer, admin)) {
      assertThat(parsed.getList("bootstrap.servers")).containsExactly("broker-1:9093");
      assertThat(parsed.getString("security.protocol")).isEqualTo("SASL_SSL");
      assertThat(parsed.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
      assertThat(parsed.getPassword("sasl.jaas.config").value()).isEqualTo(JAAS);
      assertThat(parsed.getString("ssl.truststore.location"))
          .isEqualTo("/etc/kafka/truststore.p12");
      assertThat(parsed.getPassword("ssl.truststore.password").value()).isEqualTo("changeit");
      assertThat(parsed.getString("ssl.truststore.type")).isEqualTo("PKCS12");
    }
    // a product default gives way to the operator
    assertThat(producer.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(5L);
    // the guarantees stand
    assertThat(producer.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
    assertThat(producer.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
    assertThat(consumer.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
    assertThat(consumer.getString(ConsumerConfig.GROUP_ID_CONFIG)).isNull();
  }

  @Test
  void propertiesThatWouldBreakAGuaranteeAreRefusedNotOverridden() {
    Map<String, String> acks = clientProperties(config(Map.of("kafka.acks", "1"), Map.of()));
    assertThatThrownBy(() -> KafkaClients.producerConfig(acks, "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acks=1 is refused")
        .hasMessageContaining("acks=all");
    Map<String, String> idempotence =
        clientProperties(config(Map.of(), Map.of("KAFKA_ENABLE_IDEMPOTENCE", "false")));
    assertThatThrownBy(() -> KafkaClients.producerConfig(idempotence, "p"))
        .hasMessageContaining("enable.idempotence=false is refused");
    Map<String, String> autoCommit =
        clientProperties(config(Map.of("kafka.enable.auto.commit", "true"), Map.of()));
    assertThatThrownBy(() -> KafkaClients.assignedConsumerConfig(autoCommit, "c"))
        .hasMessageContaining("enable.auto.commit=true is refused");
    Map<String, String> group =
        clientProperties(config(Map.of("kafka.group.id", "agents"), Map.of()));
    assertThatThrownBy(() -> KafkaClients.assignedConsumerConfig(group, "c"))
        .hasMessageContaining("group.id is refused");
    // the same value as the guarantee is no contradiction
    Map<String, String> same = clientProperties(config(Map.of("kafka.acks", "all"), Map.of()));
    assertThat(KafkaClients.producerConfig(same, "p")).containsEntry("acks", "all");
  }
}
