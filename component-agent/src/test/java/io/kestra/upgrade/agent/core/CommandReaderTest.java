package io.kestra.upgrade.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kestra.upgrade.agent.testing.Commands;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.MessageSigner;
import io.kestra.upgrade.messaging.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandReaderTest {

  private static final JsonCodec CODEC = JsonCodec.create();
  private final CommandReader reader = new CommandReader(CODEC, Optional.empty());
  private final Command stop =
      Commands.command(AgentId.parse("prod/worker/w1"), CommandType.STOP, null, Map.of());

  @Test
  void aValidCommandIsRead() {
    assertThat(reader.read(CODEC.encode(stop))).isEqualTo(new CommandReader.Valid(stop));
  }

  @Test
  void aCommandOfAnUnknownTypeIsRecognisedToBeAnswered() {
    String json =
        CODEC.encodeToString(stop).replace("\"type\":\"STOP\"", "\"type\":\"DRAIN_HARDER\"");
    assertThat(reader.read(json.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new CommandReader.UnknownType(stop.commandId(), "DRAIN_HARDER"));
  }

  @Test
  void anythingElseIsMalformedWithTheDecodingError() {
    String unknownTypeAndNoAgent =
        CODEC
            .encodeToString(stop)
            .replace("\"type\":\"STOP\"", "\"type\":\"DRAIN_HARDER\"")
            .replace("\"agentId\":\"prod/worker/w1\",", "");
    for (String json :
        new String[] {"{oops", "42", "{\"commandId\":\"c1\"}", unknownTypeAndNoAgent}) {
      assertThatThrownBy(() -> reader.read(json.getBytes(StandardCharsets.UTF_8)))
          .as(json)
          .isInstanceOf(MalformedRecordException.class)
          .hasMessageStartingWith("not a valid Command");
    }
  }

  @Test
  void withAKeyOnlyRecordsSignedWithItAreRead() {
    MessageSigner key = MessageSigner.ofText("11".repeat(32));
    CommandReader signed = new CommandReader(CODEC, Optional.of(key));
    Command good = key.sign(stop);
    assertThat(signed.read(CODEC.encode(good))).isEqualTo(new CommandReader.Valid(good));
    String unknownType =
        CODEC.encodeToString(good).replace("\"type\":\"STOP\"", "\"type\":\"DRAIN_HARDER\"");
    byte[][] refused = {
      CODEC.encode(stop),
      CODEC.encode(MessageSigner.ofText("22".repeat(32)).sign(stop)),
      // a type changed after signing: even a command this agent cannot read is checked first
      unknownType.getBytes(StandardCharsets.UTF_8),
      "{oops".getBytes(StandardCharsets.UTF_8)
    };
    for (byte[] value : refused) {
      assertThatThrownBy(() -> signed.read(value))
          .isInstanceOf(MalformedRecordException.class)
          .hasMessageStartingWith("the record is not signed with this agent's key");
    }
  }
}
