package io.kestra.upgrade.coordinator.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What follows when the broker refuses an outbox row for good: told by the relay in the fenced
 * transaction that marks the row failed (an interface here, implemented where upgrades change, so
 * that the outbox does not depend on them).
 */
public interface RefusedRows {

  /**
   * The broker refused {@code row} for {@code reason}; the caller marks it failed in {@code c}.
   *
   * @return whether anything was written (new outbox rows to publish)
   */
  boolean refused(Connection c, OutboxStore.Pending row, String reason, Instant now)
      throws SQLException;
}
