package io.kestra.upgrade.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandSignerTest {

  private final CommandSigner signer = new CommandSigner("a-shared-secret-of-some-length");
  private final Instant now = Instant.parse("2026-11-25T10:15:30Z");

  private Command command(String targetVersion) {
    return new Command(
        1,
        "m-1",
        "c-1",
        "u-1",
        "s-1",
        "prod/webserver/web-1",
        CommandType.START,
        targetVersion,
        Map.of("b", "2", "a", "1"),
        now,
        now.plusSeconds(60),
        null);
  }

  @Test
  void signedCommandVerifiesAfterAJsonRoundTrip() {
    Command signed = signer.sign(command("1.0.0"));
    JsonCodec codec = JsonCodec.create();
    Command received =
        ((Decoded.Ok<Command>) codec.decode(codec.encode(signed), Command.class)).value();
    assertThat(signer.verify(received)).isTrue();
  }

  @Test
  void tamperedUnsignedOrForeignCommandsFail() {
    Command signed = signer.sign(command("1.0.0"));
    Command tampered = command("0.1.0").withSignature(signed.signature());
    assertThat(signer.verify(tampered)).isFalse();
    assertThat(signer.verify(command("1.0.0"))).isFalse();
    assertThat(new CommandSigner("another-secret-of-some-length").verify(signed)).isFalse();
  }

  @Test
  void shortKeysAreRefused() {
    assertThatThrownBy(() -> new CommandSigner("short")).hasMessageContaining("at least 16");
  }
}
