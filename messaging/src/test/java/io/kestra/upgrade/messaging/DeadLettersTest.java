package io.kestra.upgrade.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  private final ConsumerRecord<String, byte[]> record =
      new ConsumerRecord<>("p.commands", 2, 41L, "prod/worker/w1", new byte[] {1, 2, 3});

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void theCopyGoesToTheDeadLetterTopicWithItsKeyValueAndOrigin() {
    ProducerRecord<String, byte[]> copy =
        DeadLetters.copy("p.dead-letter", record, new MalformedRecordException("not a Command"));

    assertThat(copy.topic()).isEqualTo("p.dead-letter");
    assertThat(copy.key()).isEqualTo("prod/worker/w1");
    assertThat(copy.value()).containsExactly(1, 2, 3);
    assertThat(header(copy, DeadLetterHeaders.TOPIC)).isEqualTo("p.commands");
    assertThat(header(copy, DeadLetterHeaders.PARTITION)).isEqualTo("2");
    assertThat(header(copy, DeadLetterHeaders.OFFSET)).isEqualTo("41");
    assertThat(header(copy, DeadLetterHeaders.REASON)).isEqualTo("not a Command");
    assertThat(copy.headers().lastHeader(DeadLetterHeaders.CAUSE)).isNull();
  }

  @Test
  void aFailureWithoutAMessageIsStillNamedInTheReason() {
    ProducerRecord<String, byte[]> copy =
        DeadLetters.copy(
            "p.dead-letter", record, new IllegalStateException(null, new TimeoutException()));

    assertThat(header(copy, DeadLetterHeaders.REASON))
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(header(copy, DeadLetterHeaders.CAUSE)).isEqualTo(TimeoutException.class.getName());
    assertThat(header(copy, DeadLetterHeaders.CAUSE_CLASS))
        .isEqualTo(TimeoutException.class.getName());
  }
}
