package io.kestra.upgrade.coordinator.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlFailuresTest {

  @ParameterizedTest(name = "SQLState {0} may pass")
  @ValueSource(
      strings = {
        "08006", // connection failure (pgjdbc: I/O error, socket time-out)
        "08001", // cannot connect
        "40001", // serialization failure
        "40P01", // deadlock
        "53300", // too many connections
        "57014", // query cancelled (statement_timeout)
        "57P01", // admin shutdown
        "58030", // I/O error
        "55P03" // lock_timeout
      })
  void anOutageOfTheDatabaseIsTransient(String state) {
    assertThat(SqlFailures.isTransient(new SQLException("out", state))).isTrue();
  }

  @ParameterizedTest(name = "SQLState {0} does not pass")
  @ValueSource(
      strings = {
        "23505", // unique violation
        "23514", // check violation
        "23503", // foreign key violation
        "22P02", // invalid text representation
        "42P01", // undefined table: a bug
        "P0001" // raised by a function
      })
  void aConstraintBadDataOrABugIsNot(String state) {
    assertThat(SqlFailures.isTransient(new SQLException("poison", state))).isFalse();
  }

  @Test
  void aLostConnectionIsTransientWhateverItsStateSays() {
    assertThat(SqlFailures.isTransient(new SQLTransientConnectionException("acquisition timeout")))
        .isTrue();
    assertThat(
            SqlFailures.isTransient(
                new SQLException("I/O error", null, new EOFException("stream closed"))))
        .isTrue();
    assertThat(SqlFailures.isTransient(new SQLException("no state at all"))).isFalse();
  }

  @Test
  void aTransientCauseBelowAnotherFailureCounts() {
    SQLException batch = new SQLException("batch entry 0 failed", "XX000");
    batch.initCause(new SQLException("connection reset", "08006"));

    assertThat(SqlFailures.isTransient(batch)).isTrue();
  }
}
