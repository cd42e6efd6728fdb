package io.kestra.upgrade.agent.core;

import static io.kestra.upgrade.agent.testing.Commands.command;
import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.agent.testing.ScriptedDriver;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandGateTest {

  private static final AgentId AGENT = AgentId.parse("prod/worker/w1");

  private final CommandGate open =
      new CommandGate(AGENT, new ScriptedDriver("0.21.4"), Set.of(Capability.MIGRATE));

  private static FailureReason reasonOf(Optional<Outcome> outcome) {
    return outcome.map(Outcome::reason).orElse(null);
  }

  @Test
  void aValidCommandPasses() {
    Command start =
        command(
            AGENT, CommandType.START, "v0.22.1-no-plugins", Map.of(Command.PARAM_TIMEOUT, "PT2M"));
    assertThat(open.validate(start, Instant.now())).isEmpty();
  }

  @Test
  void expiredCommandIsRefused() {
    Command late = command(AGENT, CommandType.PING, null, Map.of(), Instant.now().minusSeconds(1));
    assertThat(reasonOf(open.validate(late, Instant.now())))
        .isEqualTo(FailureReason.COMMAND_EXPIRED);
  }

  @Test
  void versionOutsideTheGrammarIsRefused() {
    for (String version :
        new String[] {"0.22", "0.22.1;reboot", "../0.22.1", "0.22.1 -c x", "latest"}) {
      Command start = command(AGENT, CommandType.START, version, Map.of());
      assertThat(reasonOf(open.validate(start, Instant.now())))
          .as(version)
          .isEqualTo(FailureReason.INVALID_COMMAND);
    }
  }

  @Test
  void commandsActingOnAVersionMustNameOne() {
    for (CommandType type : CommandGate.NEED_VERSION) {
      assertThat(reasonOf(open.validate(command(AGENT, type, null, Map.of()), Instant.now())))
          .as(type.name())
          .isEqualTo(FailureReason.INVALID_COMMAND);
    }
    assertThat(open.validate(command(AGENT, CommandType.STOP, null, Map.of()), Instant.now()))
        .isEmpty();
  }

  @Test
  void aNegativeMinHealthyIsRefused() {
    Optional<Outcome> refused =
        open.validate(
            command(
                AGENT, CommandType.RESTART, "1.0.1", Map.of(Command.PARAM_MIN_HEALTHY, "-PT1S")),
            Instant.now());
    assertThat(reasonOf(refused)).isEqualTo(FailureReason.INVALID_COMMAND);
    assertThat(refused.get().message()).contains("minHealthy cannot be negative");
  }

  @Test
  void malformedOrNegativeDurationsAreRefused() {
    assertThat(
            reasonOf(
                open.validate(
                    command(
                        AGENT, CommandType.STOP, null, Map.of(Command.PARAM_GRACE_PERIOD, "5m")),
                    Instant.now())))
        .isEqualTo(FailureReason.INVALID_COMMAND);
    assertThat(
            reasonOf(
                open.validate(
                    command(
                        AGENT, CommandType.STOP, null, Map.of(Command.PARAM_KILL_MARGIN, "-PT1S")),
                    Instant.now())))
        .isEqualTo(FailureReason.INVALID_COMMAND);
  }

  @Test
  void restoreNeedsABackupIdOfTheAgentsAlphabet() {
    CommandGate withBackup =
        new CommandGate(AGENT, new ScriptedDriver("0.21.4"), Set.of(Capability.BACKUP));
    assertThat(
            reasonOf(
                withBackup.validate(
                    command(AGENT, CommandType.RESTORE, null, Map.of()), Instant.now())))
        .isEqualTo(FailureReason.INVALID_COMMAND);
    assertThat(
            reasonOf(
                withBackup.validate(
                    command(
                        AGENT,
                        CommandType.RESTORE,
                        null,
                        Map.of(Command.PARAM_BACKUP_ID, "../../etc/passwd")),
                    Instant.now())))
        .isEqualTo(FailureReason.INVALID_COMMAND);
    assertThat(
            withBackup.validate(
                command(
                    AGENT,
                    CommandType.RESTORE,
                    null,
                    Map.of(Command.PARAM_BACKUP_ID, "backup-20250301T100000Z-ab12cd34")),
                Instant.now()))
        .isEmpty();
  }

  @Test
  void unsupportedTypesAndCapabilitiesNotAdvertisedAreRefused() {
    assertThat(
            reasonOf(
                open.validate(
                    command(AGENT, CommandType.MAINTENANCE_EXIT, null, Map.of()), Instant.now())))
        .isEqualTo(FailureReason.UNSUPPORTED_COMMAND);
    assertThat(
            reasonOf(
                open.validate(command(AGENT, CommandType.BACKUP, null, Map.of()), Instant.now())))
        .isEqualTo(FailureReason.UNSUPPORTED_COMMAND);
    assertThat(open.validate(command(AGENT, CommandType.MIGRATE, "1.0.0", Map.of()), Instant.now()))
        .isEmpty();
  }

  @Test
  void aCommandWhoseBodyNamesAnotherAgentIsRefused() {
    Command other = command(AgentId.parse("prod/worker/w2"), CommandType.PING, null, Map.of());
    assertThat(reasonOf(open.validate(other, Instant.now())))
        .isEqualTo(FailureReason.INVALID_COMMAND);
  }
}
