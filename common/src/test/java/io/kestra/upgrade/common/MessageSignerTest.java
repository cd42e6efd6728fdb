package io.kestra.upgrade.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageSignerTest {

  private static final String MASTER = "a-master-key-of-at-least-thirty-two-bytes";
  private static final String AGENT = "prod/webserver/web-1";
  private final MessageSigner signer = new MessageSigner(AgentKeys.derive(MASTER, AGENT));
  private final JsonCodec codec = JsonCodec.create();
  private final Instant now = Instant.parse("2026-11-25T10:15:30Z");

  private Command command(String targetVersion) {
    return new Command(
        Message.SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        AGENT,
        CommandType.START,
        targetVersion,
        Map.of("b", "2", "a", "1"),
        now,
        now.plusSeconds(60),
        null);
  }

  private Ack ack() {
    return new Ack(
        Message.SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        AGENT,
        AckStatus.SUCCEEDED,
        null,
        "started",
        new Observed("1.0.0", ComponentState.RUNNING, true, 0),
        Map.of("z", "1", "a", "2"),
        now);
  }

  @Test
  void signedMessagesVerifyAfterAJsonRoundTrip() {
    Command command = signer.sign(command("1.0.0"));
    Command received =
        ((Decoded.Ok<Command>) codec.decode(codec.encode(command), Command.class)).value();
    assertThat(signer.verify(received)).isTrue();
    assertThat(signer.verify(codec.encode(signer.sign(ack())))).isTrue();
  }

  @Test
  void tamperedUnsignedAndForeignMessagesDoNotVerify() {
    Command signed = signer.sign(command("1.0.0"));
    assertThat(signer.verify(command("0.1.0").withSignature(signed.signature()))).isFalse();
    assertThat(signer.verify(command("1.0.0"))).isFalse();
    MessageSigner other = new MessageSigner(AgentKeys.derive(MASTER, "prod/worker/w-1"));
    assertThat(other.verify(signed)).isFalse();
    assertThat(signer.verify("not json".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(signer.verify("[1]".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(signer.verify((byte[]) null)).isFalse();
  }

  @Test
  void aFieldAddedToASignedMessageBreaksItsSignature() throws Exception {
    ObjectNode tree = (ObjectNode) codec.mapper().readTree(codec.encode(signer.sign(ack())));
    tree.put("status", "FAILED");
    assertThat(signer.verify(codec.mapper().writeValueAsBytes(tree))).isFalse();
    tree.put("status", "SUCCEEDED");
    assertThat(signer.verify(codec.mapper().writeValueAsBytes(tree))).isTrue();
    tree.put("extra", "smuggled");
    assertThat(signer.verify(codec.mapper().writeValueAsBytes(tree))).isFalse();
  }

  @Test
  void aNewerWritersUnknownFieldsAreSignedAndStillVerify() throws Exception {
    // what a newer agent writes: a field this version does not know, signed with the rest
    ObjectNode tree = (ObjectNode) codec.mapper().readTree(codec.encode(ack()));
    tree.put("futureField", "x");
    tree.put(Signed.SIGNATURE_FIELD, signer.signatureOf(tree));
    byte[] received = codec.mapper().writeValueAsBytes(tree);

    assertThat(signer.verify(received)).isTrue();
    // verified from what was received, not from the fields this version reads
    Ack asKnown = ((Decoded.Ok<Ack>) codec.decode(received, Ack.class)).value();
    assertThat(signer.verify(asKnown)).isFalse();
  }

  @Test
  void keysOfTheWrongSizeAreRefused() {
    assertThatThrownBy(() -> new MessageSigner(new byte[8])).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> MessageSigner.ofText("abc")).hasMessageContaining("64 hex digits");
  }
}
