package io.kestra.upgrade.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  private static final String M1 = "00000000-0000-4000-8000-000000000001";
  private static final String M2 = "00000000-0000-4000-8000-000000000002";
  private static final String M3 = "00000000-0000-4000-8000-000000000003";
  private static final String C1 = "00000000-0000-4000-8000-0000000000c1";
  private static final String U1 = "00000000-0000-4000-8000-0000000000a1";
  private static final String S1 = "00000000-0000-4000-8000-0000000000b1";

  private final JsonCodec codec = JsonCodec.create();
  private final Instant now = Instant.parse("2026-11-25T10:15:30.123Z");

  private Command command() {
    return new Command(
        Message.SCHEMA_VERSION,
        M1,
        C1,
        U1,
        S1,
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
            Message.SCHEMA_VERSION,
            M2,
            C1,
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
            Message.SCHEMA_VERSION,
            M3,
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
            Message.SCHEMA_VERSION,
            M3,
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

  private Command startWith(Map<String, String> params) {
    return new Command(
        Message.SCHEMA_VERSION,
        M1,
        C1,
        U1,
        S1,
        "prod/worker/worker-1",
        CommandType.START,
        "1.0.1",
        params,
        now,
        now.plusSeconds(600),
        null);
  }

  @Test
  void aConfigurationFileParameterMayBeLongAndMultilineAndNoOtherMay() {
    String file = "kestra:\n  server:\n    terminationGracePeriod: 30s\n" + "#".repeat(2000);
    assertThat(startWith(Map.of(Command.PARAM_CONFIG_FILE, file)).violations()).isEmpty();
    assertThat(startWith(Map.of(Command.PARAM_TIMEOUT, file)).violations())
        .singleElement()
        .asString()
        .startsWith("params.timeout: ");
    assertThat(
            startWith(Map.of(Command.PARAM_CONFIG_FILE, "#".repeat(Command.MAX_CONFIG_FILE + 1)))
                .violations())
        .containsExactly(
            "params.configFile: "
                + (Command.MAX_CONFIG_FILE + 1)
                + " characters, more than "
                + Command.MAX_CONFIG_FILE);
    assertThat(startWith(Map.of(Command.PARAM_CONFIG_FILE, "a\u0000b")).violations())
        .containsExactly("params.configFile: holds the control character U+0000");
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
    String json = codec.encodeToString(command()).replace("\"commandId\":\"" + C1 + "\",", "");
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
    String noSchema = codec.encodeToString(command()).replace("\"schemaVersion\":2,", "");
    assertThat(codec.decode(noSchema, Command.class)).isInstanceOf(Decoded.Malformed.class);
  }

  @Test
  void binaryGarbageIsMalformed() {
    byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 1, 2};
    assertThat(codec.decode(garbage, Heartbeat.class)).isInstanceOf(Decoded.Malformed.class);
    assertThat(codec.decode("\"just a string\"".getBytes(StandardCharsets.UTF_8), Heartbeat.class))
        .isInstanceOf(Decoded.Malformed.class);
  }

  @Test
  void idsThatAreNotUuidsAreMalformedAndNamed() {
    String json = codec.encodeToString(ack("message")).replace(C1, "x");
    assertThat(codec.decode(json, Ack.class))
        .isInstanceOfSatisfying(
            Decoded.Malformed.class,
            m -> assertThat(m.error()).isEqualTo("not a valid Ack: commandId: 'x' is not a UUID"));
  }

  @Test
  void aNulCharacterOrAnOversizedTextIsMalformed() {
    assertThat(codec.decode(codec.encode(ack("bad\u0000byte")), Ack.class))
        .isInstanceOfSatisfying(
            Decoded.Malformed.class,
            m -> assertThat(m.error()).contains("message: holds the control character U+0000"));
    assertThat(codec.decode(codec.encode(ack("x".repeat(Violations.MAX_MESSAGE + 1))), Ack.class))
        .isInstanceOfSatisfying(
            Decoded.Malformed.class,
            m -> assertThat(m.error()).contains("message: 16385 characters, more than 16384"));
    // line breaks are what a tool's output is made of
    assertThat(codec.decode(codec.encode(ack("line 1\nline 2\ttab")), Ack.class))
        .isInstanceOf(Decoded.Ok.class);
  }

  @Test
  void timestampsOutOfRangeAndImpossibleValuesAreMalformed() {
    Command late =
        new Command(
            Message.SCHEMA_VERSION,
            M1,
            C1,
            null,
            null,
            "prod/worker/worker-1",
            CommandType.STOP,
            null,
            Map.of(),
            now,
            Instant.parse("+100000-01-01T00:00:00Z"),
            null);
    assertThat(codec.decode(codec.encode(late), Command.class))
        .isInstanceOfSatisfying(
            Decoded.Malformed.class, m -> assertThat(m.error()).contains("expiresAt: "));
    Heartbeat negative =
        new Heartbeat(
            Message.SCHEMA_VERSION,
            M3,
            "prod/worker/worker-1",
            "other",
            ComponentKind.WORKER,
            "worker-1",
            "0.1.0",
            "process",
            Set.of(),
            new Observed("0.21.4", ComponentState.RUNNING, true, -1),
            Duration.ofDays(365),
            null,
            now);
    assertThat(codec.decode(codec.encode(negative), Heartbeat.class))
        .isInstanceOfSatisfying(
            Decoded.Malformed.class,
            m ->
                assertThat(m.error())
                    .contains("gracePeriod: PT8760H is outside")
                    .contains("component.inFlightTasks: -1 is outside")
                    .contains("cluster, kind, instance: differ from the agentId"));
  }

  @Test
  void clippedTextKeepsItsEndAndPassesTheRules() {
    String output = "start\u0000" + "y".repeat(20_000) + "Validate failed";
    String clipped = Violations.clipMessage(output);
    assertThat(clipped).hasSize(Violations.MAX_MESSAGE).startsWith("…").endsWith("Validate failed");
    assertThat(codec.decode(codec.encode(ack(clipped)), Ack.class)).isInstanceOf(Decoded.Ok.class);
    assertThat(Violations.clip("a\u0000b", 10)).isEqualTo("a?b");
  }

  private Ack ack(String message) {
    return new Ack(
        Message.SCHEMA_VERSION,
        M2,
        C1,
        "prod/worker/worker-1",
        AckStatus.FAILED,
        FailureReason.MIGRATION_FAILED,
        message,
        new Observed("0.21.4", ComponentState.STOPPED, false, 0),
        Map.of(),
        now);
  }
}
