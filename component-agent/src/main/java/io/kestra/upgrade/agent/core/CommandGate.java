package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.agent.driver.ComponentDriver;
import io.kestra.upgrade.common.AgentId;
import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.KestraVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides whether a command may run, before anything is done with it. Every parameter that will
 * reach a process argument or a file name is checked here, against a strict grammar.
 */
final class CommandGate {

  /** Commands that act on a version, and so must name one. */
  static final Set<CommandType> NEED_VERSION =
      EnumSet.of(
          CommandType.PREPARE,
          CommandType.START,
          CommandType.RESTART,
          CommandType.MIGRATE,
          CommandType.FINALIZE);

  /** Backup ids are made by agents; this is their alphabet, with room for other drivers' ids. */
  static final Pattern BACKUP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final AgentId agentId;
  private final ComponentDriver driver;
  private final Set<Capability> capabilities;

  /**
   * @param capabilities what the agent advertises: a command needing another one is refused
   */
  CommandGate(AgentId agentId, ComponentDriver driver, Set<Capability> capabilities) {
    this.agentId = agentId;
    this.driver = driver;
    this.capabilities = Set.copyOf(capabilities);
  }

  /** The rejection of a command that must not run at {@code now}, if it must not. */
  Optional<Outcome> validate(Command command, Instant now) {
    if (!agentId.toString().equals(command.agentId())) {
      return invalid(
          "the command is addressed to "
              + command.agentId()
              + " but was keyed for "
              + agentId
              + "; refusing it");
    }
    if (command.isExpiredAt(now)) {
      return Optional.of(
          Outcome.rejected(
              FailureReason.COMMAND_EXPIRED,
              "the command expired at " + command.expiresAt() + "; received at " + now));
    }
    if (!driver.supports(command.type())) {
      return Optional.of(
          Outcome.rejected(
              FailureReason.UNSUPPORTED_COMMAND,
              "the " + driver.name() + " driver does not support " + command.type()));
    }
    Optional<Capability> needed = capabilityNeeded(command.type());
    if (needed.isPresent() && !capabilities.contains(needed.get())) {
      return Optional.of(
          Outcome.rejected(
              FailureReason.UNSUPPORTED_COMMAND,
              "this agent does not advertise the "
                  + needed.get()
                  + " capability needed by "
                  + command.type()));
    }
    return checkVersion(command).or(() -> checkParams(command));
  }

  private Optional<Outcome> checkVersion(Command command) {
    String version = command.targetVersion();
    if (version == null) {
      return NEED_VERSION.contains(command.type())
          ? invalid(command.type() + " needs a targetVersion")
          : Optional.empty();
    }
    try {
      KestraVersion.parse(version);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return invalid("targetVersion: " + e.getMessage());
    }
  }

  private Optional<Outcome> checkParams(Command command) {
    try {
      for (String name :
          new String[] {
            Command.PARAM_GRACE_PERIOD,
            Command.PARAM_KILL_MARGIN,
            Command.PARAM_TIMEOUT,
            Command.PARAM_MIN_HEALTHY
          }) {
        Optional<Duration> value = command.durationParam(name);
        if (value.isPresent() && value.get().isNegative()) {
          return invalid("parameter " + name + " cannot be negative");
        }
      }
    } catch (IllegalArgumentException e) {
      return invalid(e.getMessage());
    }
    if (command.type() == CommandType.RESTORE) {
      String backupId = command.params().get(Command.PARAM_BACKUP_ID);
      if (backupId == null) {
        return invalid("RESTORE needs the parameter " + Command.PARAM_BACKUP_ID);
      }
      if (!BACKUP_ID.matcher(backupId).matches()) {
        return invalid(
            "parameter "
                + Command.PARAM_BACKUP_ID
                + " must be 1 to 128 letters, digits, '.', '_' or '-'");
      }
    }
    return Optional.empty();
  }

  static Optional<Capability> capabilityNeeded(CommandType type) {
    return switch (type) {
      case BACKUP, RESTORE -> Optional.of(Capability.BACKUP);
      case MIGRATE -> Optional.of(Capability.MIGRATE);
      case MAINTENANCE_ENTER, MAINTENANCE_EXIT -> Optional.of(Capability.MAINTENANCE);
      default -> Optional.empty();
    };
  }

  private static Optional<Outcome> invalid(String message) {
    return Optional.of(Outcome.rejected(FailureReason.INVALID_COMMAND, message));
  }
}
