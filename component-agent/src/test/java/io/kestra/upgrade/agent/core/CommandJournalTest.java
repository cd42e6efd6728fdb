package io.kestra.upgrade.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.common.Ack;
import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.FailureReason;
import io.kestra.upgrade.common.JsonCodec;
import io.kestra.upgrade.common.Message;
import io.kestra.upgrade.common.Observed;
import io.kestra.upgrade.messaging.Position;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandJournalTest {

  private static final JsonCodec CODEC = JsonCodec.create();
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir Path dir;

  private static Ack ack(String commandId, AckStatus status) {
    return new Ack(
        Message.SCHEMA_VERSION,
        UUID.randomUUID().toString(),
        commandId,
        "c/worker/w1",
        status,
        status == AckStatus.SUCCEEDED ? null : FailureReason.START_FAILED,
        "done",
        Observed.unknown(),
        Map.of(Ack.RESULT_STOP_MODE, "graceful"),
        T0.plusSeconds(5));
  }

  @Test
  void receivedAndFinalSurviveAReopen() {
    Ack done = ack("c1", AckStatus.SUCCEEDED);
    try (CommandJournal journal = CommandJournal.open(dir, CODEC)) {
      journal.recordReceived("c1", CommandType.STOP, T0);
      journal.recordFinal(done);
      journal.recordReceived("c2", CommandType.MIGRATE, T0.plusSeconds(10));
    }
    try (CommandJournal journal = CommandJournal.open(dir, CODEC)) {
      CommandJournal.Entry c1 = journal.find("c1").orElseThrow();
      assertThat(c1.isFinished()).isTrue();
      assertThat(c1.finalAck()).isEqualTo(done);
      assertThat(c1.receivedAt()).isEqualTo(T0);
      CommandJournal.Entry c2 = journal.find("c2").orElseThrow();
      assertThat(c2.isFinished()).isFalse();
      assertThat(c2.type()).isEqualTo(CommandType.MIGRATE);
      assertThat(c2.receivedAt()).isEqualTo(T0.plusSeconds(10));
      assertThat(journal.find("c3")).isEmpty();
    }
  }

  @Test
  void aRejectionIsRememberedWithoutAReceivedRecord() {
    Ack rejected = ack("c1", AckStatus.REJECTED);
    try (CommandJournal journal = CommandJournal.open(dir, CODEC)) {
      journal.recordFinal(rejected);
    }
    try (CommandJournal journal = CommandJournal.open(dir, CODEC)) {
      CommandJournal.Entry entry = journal.find("c1").orElseThrow();
      assertThat(entry.finalAck()).isEqualTo(rejected);
      assertThat(entry.receivedAt()).isNull();
    }
  }

  @Test
  void aTornLastLineIsDroppedAndTheNextRecordStartsOnACleanLine() throws Exception {
    try (CommandJournal journal = CommandJournal.open(dir, CODEC)) {
      journal.recordReceived("c1", CommandType.START, T0);
    }
    Path file = dir.resolve(CommandJournal.FILE_NAME);
    Files.writeString(
        file, "{\"kind\":\"FINAL\",\"commandId\":\"c1\",\"at\":", StandardOpenOption.APPEND);
    try (CommandJournal journal = CommandJournal.open(dir, CODEC)) {
      assertThat(journal.find("c1").orElseThrow().isFinished()).isFalse();
      journal.recordFinal(ack("c1", AckStatus.SUCCEEDED));
    }
    try (CommandJournal journal = CommandJournal.open(dir, CODEC)) {
      assertThat(journal.find("c1").orElseThrow().isFinished()).isTrue();
    }
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).hasSize(2);
  }

  @Test
  void compactionForgetsTheOldestFinishedCommandsButKeepsUnfinishedOnes() throws Exception {
    int retained = 5;
    try (CommandJournal journal = CommandJournal.open(dir, CODEC, retained)) {
      journal.recordReceived("unfinished", CommandType.STOP, T0);
      for (int i = 0; i < 30; i++) {
        journal.recordReceived("c" + i, CommandType.PING, T0.plusSeconds(i));
        journal.recordFinal(ack("c" + i, AckStatus.SUCCEEDED));
      }
      assertThat(journal.size()).isLessThanOrEqualTo(4 * retained);
    }
    Path file = dir.resolve(CommandJournal.FILE_NAME);
    assertThat(Files.readAllLines(file)).hasSizeLessThanOrEqualTo(4 * retained + 1);
    try (CommandJournal journal = CommandJournal.open(dir, CODEC, retained)) {
      assertThat(journal.find("unfinished")).isPresent();
      assertThat(journal.find("c29").orElseThrow().isFinished()).isTrue();
      assertThat(journal.find("c0")).isEmpty();
    }
  }

  @Test
  void theLastPositionSurvivesAReopenAndEveryCompaction() {
    int retained = 5;
    try (CommandJournal journal = CommandJournal.open(dir, CODEC, retained)) {
      assertThat(journal.loadPosition()).isEmpty();
      journal.savePosition(new Position(2, 17, T0));
      for (int i = 0; i < 30; i++) {
        journal.recordReceived("c" + i, CommandType.PING, T0.plusSeconds(i));
        journal.recordFinal(ack("c" + i, AckStatus.SUCCEEDED));
        // positions alone also make the file grow, and compact it
        for (int j = 0; j < 5; j++) {
          journal.savePosition(new Position(2, 18 + 10L * i + j, T0.plusSeconds(i)));
        }
      }
      assertThat(journal.loadPosition())
          .contains(new Position(2, 18 + 290 + 4, T0.plusSeconds(29)));
    }
    try (CommandJournal journal = CommandJournal.open(dir, CODEC, retained)) {
      assertThat(journal.loadPosition())
          .contains(new Position(2, 18 + 290 + 4, T0.plusSeconds(29)));
      assertThat(journal.find("c29").orElseThrow().isFinished()).isTrue();
      assertThat(journal.find("c0")).isEmpty();
    }
  }
}
