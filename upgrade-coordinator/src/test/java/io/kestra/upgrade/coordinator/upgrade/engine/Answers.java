package io.kestra.upgrade.coordinator.upgrade.engine;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentState;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.Observed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Agents answering the machine's commands, one second apart, for the machine's tests: each server
 * reported on the command's target version (or {@code previous} when the command names none),
 * running and ready; a BACKUP names backup {@code b-1}; a failure gives {@code reason}.
 */
final class Answers {

  private final UpgradeMachine machine;
  private final AtomicInteger ids;
  private final String previous;
  private final FailureReason reason;
  private Instant now;

  Answers(
      UpgradeMachine machine,
      AtomicInteger ids,
      Instant start,
      String previous,
      FailureReason reason) {
    this.machine = machine;
    this.ids = ids;
    this.now = start;
    this.previous = previous;
    this.reason = reason;
  }

  /** When the last answer was given. */
  Instant now() {
    return now;
  }

  /** Answers every command {@code status}; returns the commands the answers caused. */
  List<Command> all(UpgradeRun run, List<Command> commands, AckStatus status) {
    List<Command> next = new ArrayList<>();
    for (Command c : commands) {
      now = now.plusSeconds(1);
      Map<String, String> result =
          c.type() == CommandType.BACKUP ? Map.of(Ack.RESULT_BACKUP_ID, "b-1") : Map.of();
      String version = c.targetVersion() == null ? previous : c.targetVersion();
      boolean failed = status == AckStatus.FAILED;
      Ack ack =
          new Ack(
              1,
              "ack-" + ids.incrementAndGet(),
              c.commandId(),
              c.agentId(),
              status,
              failed ? reason : null,
              failed ? reason.description() : null,
              new Observed(version, ComponentState.RUNNING, true, 0),
              result,
              now);
      next.addAll(machine.onAck(run, ack, now).commands());
    }
    return next;
  }
}
