package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.messaging.Position;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of the {@link CommandJournal}.
 *
 * @param kind what happened
 * @param commandId the command concerned
 * @param at when it was written
 * @param type the command's type (RECEIVED), for whoever reads the file
 * @param ack the final ack as published (FINAL)
 * @param position where the agent stands in its commands partition (POSITION)
 */
record JournalRecord(
    Kind kind, String commandId, Instant at, CommandType type, Ack ack, Position position) {

  /**
   * What the journal remembers: two things of a command, and the agent's place in its partition.
   */
  enum Kind {
    /** Written before the command is executed. */
    RECEIVED,
    /** Written before the final ack is published, with that ack. */
    FINAL,
    /** The commands partition's next record not settled yet; the last one written counts. */
    POSITION
  }

  JournalRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    if (kind == Kind.POSITION) {
      Objects.requireNonNull(position, "a POSITION record carries its position");
    } else {
      Objects.requireNonNull(commandId, "commandId");
    }
    if (kind == Kind.FINAL && ack == null) {
      throw new IllegalArgumentException("a FINAL record carries its ack");
    }
  }

  static JournalRecord position(Position position) {
    return new JournalRecord(Kind.POSITION, null, position.at(), null, null, position);
  }

  static JournalRecord received(String commandId, CommandType type, Instant at) {
    return new JournalRecord(Kind.RECEIVED, commandId, at, type, null, null);
  }

  static JournalRecord finalAck(Ack ack) {
    return new JournalRecord(Kind.FINAL, ack.commandId(), ack.at(), null, ack, null);
  }
}
