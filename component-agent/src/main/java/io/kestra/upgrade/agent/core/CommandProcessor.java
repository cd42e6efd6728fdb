package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.agent.driver.Progress;
import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.FailureReason;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one command from its arrival to its final ack. Its signature was checked on the record's
 * bytes before ({@link CommandReader}): a record this agent's key did not sign never gets here.
 *
 * <ol>
 *   <li>A command the journal has answered is answered again with the stored ack: nothing runs.
 *   <li>A command the journal has received but not answered (the agent died mid-command) is settled
 *       by {@link CommandExecutor#resume}, never run again from scratch.
 *   <li>A command that must not run (expired, unsupported, invalid) is REJECTED.
 *   <li>Otherwise RECEIVED is journaled, ACCEPTED published, the command executed with PROGRESS
 *       acks at the configured pace, and the final ack journaled, then published.
 * </ol>
 *
 * A command interrupted by the agent's close gets no final record and no final ack: its RECEIVED
 * record makes the next run of the agent settle it by step 2.
 */
final class CommandProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(CommandProcessor.class);

  private final CommandGate gate;
  private final CommandJournal journal;
  private final CommandExecutor executor;
  private final AckPublisher acks;
  private final Clock clock;
  private final ScheduledExecutorService ticks;
  private final Duration progressInterval;
  private volatile String current;

  CommandProcessor(
      CommandGate gate,
      CommandJournal journal,
      CommandExecutor executor,
      AckPublisher acks,
      Clock clock,
      ScheduledExecutorService ticks,
      Duration progressInterval) {
    this.gate = gate;
    this.journal = journal;
    this.executor = executor;
    this.acks = acks;
    this.clock = clock;
    this.ticks = ticks;
    this.progressInterval = progressInterval;
  }

  /** The command being handled, or {@code null}. */
  String currentCommandId() {
    return current;
  }

  /**
   * Handles what a record of the commands topic holds, to its end. A failure of the agent itself
   * (not of the driver) is answered FAILED with {@link FailureReason#AGENT_ERROR}.
   *
   * @throws InterruptedException when the agent closes meanwhile (no final ack was published)
   */
  void process(CommandReader.Result read) throws InterruptedException {
    current = read.commandId();
    try {
      if (read instanceof CommandReader.Valid valid) {
        handle(valid.command());
      } else if (read instanceof CommandReader.UnknownType unknown) {
        rejectUnknownType(unknown.commandId(), unknown.type());
      }
    } catch (RuntimeException e) {
      failInTheAgent(read.commandId(), e);
    } finally {
      current = null;
    }
  }

  /**
   * Answers a command of a type this agent does not know: REJECTED, not journaled (a newer
   * coordinator may send it again once this agent is upgraded).
   */
  private void rejectUnknownType(String commandId, String type) throws InterruptedException {
    LOG.warn("rejecting command {}: unknown command type {}", commandId, type);
    acks.sendAndWait(
        acks.unjournaled(
            commandId,
            AckStatus.REJECTED,
            FailureReason.UNSUPPORTED_COMMAND,
            "this agent does not know the command type " + type));
  }

  /**
   * Not journaled: the journal may be what failed, and what it holds (a received command, a final
   * ack) still settles a redelivery of the command.
   */
  private void failInTheAgent(String commandId, RuntimeException e) throws InterruptedException {
    LOG.error("command {} of agent {}: the agent itself failed", commandId, acks.agentId(), e);
    acks.sendAndWait(
        acks.unjournaled(
            commandId,
            AckStatus.FAILED,
            FailureReason.AGENT_ERROR,
            "the agent failed while handling the command: " + e));
  }

  private void handle(Command command) throws InterruptedException {
    Optional<CommandJournal.Entry> known = journal.find(command.commandId());
    if (known.isPresent() && known.get().isFinished()) {
      LOG.info(
          "command {} of agent {} was answered before ({}): publishing that answer again",
          command.commandId(),
          command.agentId(),
          known.get().finalAck().status());
      acks.sendAndWait(known.get().finalAck());
      return;
    }
    if (known.isPresent()) {
      Instant receivedAt = known.get().receivedAt();
      runAndAnswer(
          command,
          "resuming after an agent restart",
          progress -> executor.resume(command, receivedAt, progress));
      return;
    }
    Optional<Outcome> refused = gate.validate(command, clock.instant());
    if (refused.isPresent()) {
      LOG.warn(
          "rejecting command {} ({}) for agent {}: {} {}",
          command.commandId(),
          command.type(),
          command.agentId(),
          refused.get().reason(),
          refused.get().message());
      answer(command, refused.get());
      return;
    }
    try {
      journal.recordReceived(command.commandId(), command.type(), clock.instant());
    } catch (UncheckedIOException | IllegalStateException e) {
      LOG.error(
          "cannot journal command {} of agent {}: not running it",
          command.commandId(),
          command.agentId(),
          e);
      acks.sendAndWait(
          acks.unjournaled(
              command.commandId(),
              AckStatus.FAILED,
              FailureReason.AGENT_ERROR,
              "the agent cannot write its command journal, so it cannot promise to run the"
                  + " command once; it did not run it: "
                  + e.getMessage()));
      return;
    }
    LOG.info(
        "accepted command {} ({}{}) for agent {}",
        command.commandId(),
        command.type(),
        command.targetVersion() == null ? "" : " " + command.targetVersion(),
        command.agentId());
    acks.send(acks.interim(command.commandId(), AckStatus.ACCEPTED, "accepted"));
    runAndAnswer(
        command, "running " + command.type(), progress -> executor.execute(command, progress));
  }

  private interface Work {
    Outcome run(Progress progress) throws InterruptedException;
  }

  private void runAndAnswer(Command command, String initialStatus, Work work)
      throws InterruptedException {
    Outcome outcome;
    try (ProgressTicker ticker =
        ProgressTicker.start(
            ticks,
            progressInterval,
            message -> acks.send(acks.interim(command.commandId(), AckStatus.PROGRESS, message)),
            initialStatus)) {
      outcome = work.run(ticker);
    }
    if (Thread.currentThread().isInterrupted()) {
      // the agent is closing: whatever the driver said may be the interruption's doing
      throw new InterruptedException("agent closing during command " + command.commandId());
    }
    answer(command, outcome);
  }

  /**
   * Journals the final ack, then publishes it: a crash in between re-publishes it at redelivery.
   */
  private void answer(Command command, Outcome outcome) throws InterruptedException {
    Ack ack = acks.finalAck(command.commandId(), outcome);
    try {
      journal.recordFinal(ack);
    } catch (UncheckedIOException | IllegalStateException e) {
      // the ack is true all the same; at a redelivery the command is settled as interrupted
      LOG.error(
          "cannot journal the final ack of command {} of agent {}",
          command.commandId(),
          command.agentId(),
          e);
    }
    LOG.info(
        "command {} ({}) of agent {}: {}{} {}",
        command.commandId(),
        command.type(),
        command.agentId(),
        ack.status(),
        ack.reason() == null ? "" : " " + ack.reason(),
        ack.message());
    acks.sendAndWait(ack);
  }
}
