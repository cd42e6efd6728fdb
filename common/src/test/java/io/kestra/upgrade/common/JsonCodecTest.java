package io.kestra.upgrade.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  private final JsonCodec codec = JsonCodec.create();
  private final Instant now = Instant.parse("2026-11-25T10:15:30.123Z");

  private Command command() {
    return new Command(
        1,
        "m-1",
        "c-1",
        "u-1",
        "s-1",
        "prod/worker/worker-1",
        CommandType.STOP,
        null,
        Map.of(Command.PARAM_GRACE_PERIOD, "PT5M"),
        now,
        now.plusSeconds(600),
        null);
  }

  @Test
  void commandRoundTrips() {
    Command command = command();
    Decoded<Command> decoded = codec.decode(codec.encode(command), Command.class);
    assertThat(decoded).isEqualTo(new Decoded.Ok<>(command));
  }

  @Test
  void ackAndHeartbeatRoundTrip() {
    Ack ack =
        new Ack(
            1,
            "m-2",
            "c-1",
            "prod/worker/worker-1",
            AckStatus.FAILED,
            FailureReason.MIGRATION_FAILED,
            "Validate failed",
            new Observed("0.21.4", ComponentState.STOPPED, false, 0),
            Map.of("k", "v"),
            now);
    assertThat(codec.decode(codec.encode(ack), Ack.class)).isEqualTo(new Decoded.Ok<>(ack));
    Heartbeat hb =
        new Heartbeat(
            1,
            "m-3",
            "prod/worker/worker-1",
            "prod",
            ComponentKind.WORKER,
            "worker-1",
            "0.1.0",
            "process",
            Set.of(Capability.BACKUP),
            new Observed("0.21.4", ComponentState.RUNNING, true, 3),
            Duration.ofMinutes(5),
            null,
            now);
    assertThat(codec.decode(codec.encode(hb), Heartbeat.class)).isEqualTo(new Decoded.Ok<>(hb));
    assertThat(codec.encodeToString(hb))
        .contains("\"gracePeriod\":\"PT5M\"")
        .contains("\"component\":{\"version\":\"0.21.4\",\"state\":\"RUNNING\"");
  }

  @Test
  void anAckFresherThanTheHeartbeatUpdatesTheComponentAndKeepsAKnownVersion() {
    Heartbeat hb =
        new Heartbeat(
            1,
            "m-3",
            "prod/worker/worker-1",
            "prod",
            ComponentKind.WORKER,
            "worker-1",
            "0.1.0",
            "process",
            Set.of(),
            new Observed("0.21.4", ComponentState.RUNNING, true, 3),
            null,
            null,
            now);
    Instant later = now.plusSeconds(1);

    Heartbeat stopped =
        hb.withComponent(new Observed(null, ComponentState.STOPPED, false, 0), later);

    assertThat(stopped.component())
        .isEqualTo(new Observed("0.21.4", ComponentState.STOPPED, false, 0));
    assertThat(stopped.at()).isEqualTo(later);
    assertThat(stopped.agentId()).isEqualTo(hb.agentId());
  }

  @Test
  void writesInstantsAsIsoStrings() {
    String json = codec.encodeToString(command());
    assertThat(json).contains("\"issuedAt\":\"2026-11-25T10:15:30.123Z\"");
  }

  @Test
  void ignoresUnknownFields() {
    String json = codec.encodeToString(command()).replaceFirst("\\{", "{\"addedLater\":{\"x\":1},");
    assertThat(codec.decode(json, Command.class)).isEqualTo(new Decoded.Ok<>(command()));
  }

  @Test
  void malformedJsonIsATypedErrorNotAnException() {
    assertThat(codec.decode("{not json", Command.class))
        .isInstanceOfSatisfying(
            Decoded.Malformed.class, m -> assertThat(m.error()).startsWith("not a valid Command"));
  }

  @Test
  void missingRequiredFieldIsMalformed() {
    String json = codec.encodeToString(command()).replace("\"commandId\":\"c-1\",", "");
    assertThat(codec.decode(json, Command.class))
        .isInstanceOfSatisfying(
            Decoded.Malformed.class, m -> assertThat(m.error()).contains("commandId"));
  }

  @Test
  void unknownEnumValueIsMalformedAndNamesTheField() {
    String json = codec.encodeToString(command()).replace("\"STOP\"", "\"EXPLODE\"");
    assertThat(codec.decode(json, Command.class))
        .isInstanceOfSatisfying(
            Decoded.Malformed.class, m -> assertThat(m.error()).contains("at type"));
  }

  @Test
  void emptyNullAndSchemalessRecordsAreMalformed() {
    assertThat(codec.decode((byte[]) null, Ack.class)).isInstanceOf(Decoded.Malformed.class);
    assertThat(codec.decode(new byte[0], Ack.class)).isInstanceOf(Decoded.Malformed.class);
    assertThat(codec.decode("null", Ack.class)).isInstanceOf(Decoded.Malformed.class);
    assertThat(codec.decode("[1,2]", Ack.class)).isInstanceOf(Decoded.Malformed.class);
    String noSchema = codec.encodeToString(command()).replace("\"schemaVersion\":1,", "");
    assertThat(codec.decode(noSchema, Command.class)).isInstanceOf(Decoded.Malformed.class);
  }

  @Test
  void binaryGarbageIsMalformed() {
    byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 1, 2};
    assertThat(codec.decode(garbage, Heartbeat.class)).isInstanceOf(Decoded.Malformed.class);
    assertThat(codec.decode("\"just a string\"".getBytes(StandardCharsets.UTF_8), Heartbeat.class))
        .isInstanceOf(Decoded.Malformed.class);
  }
}
