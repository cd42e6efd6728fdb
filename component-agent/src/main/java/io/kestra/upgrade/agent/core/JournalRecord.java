package io.kestra.upgrade.agent.core;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.CommandType;
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
 */
record JournalRecord(Kind kind, String commandId, Instant at, CommandType type, Ack ack) {

  /** The two things the journal remembers of a command. */
  enum Kind {
    /** Written before the command is executed. */
    RECEIVED,
    /** Written before the final ack is published, with that ack. */
    FINAL
  }

  JournalRecord {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(at, "at");
    if (kind == Kind.FINAL && ack == null) {
      throw new IllegalArgumentException("a FINAL record carries its ack");
    }
  }

  static JournalRecord received(String commandId, CommandType type, Instant at) {
    return new JournalRecord(Kind.RECEIVED, commandId, at, type, null);
  }

  static JournalRecord finalAck(Ack ack) {
    return new JournalRecord(Kind.FINAL, ack.commandId(), ack.at(), null, ack);
  }
}
