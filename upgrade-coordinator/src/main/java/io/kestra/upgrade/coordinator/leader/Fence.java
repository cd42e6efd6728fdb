package io.kestra.upgrade.coordinator.leader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The fencing check of leader-only transactions: the epoch row is read {@code FOR SHARE} inside the
 * transaction, which aborts unless the epoch is still the caller's. The share lock lasts until the
 * transaction ends, so a new leader's bump of the epoch waits for the transaction in flight, and
 * every transaction that starts after the bump sees the new epoch: a leader that resumes from a
 * freeze, and acts before it notices it lost the lock, writes nothing.
 */
public final class Fence {

  private Fence() {}

  /**
   * Checks, in the caller's transaction, that {@code epoch} is the current leader's.
   *
   * @param epoch the caller's epoch; 0 when it does not lead
   * @throws NotLeaderException when it is not (the caller's transaction must roll back)
   */
  public static void check(Connection c, long epoch) throws SQLException {
    if (epoch <= 0) {
      throw new NotLeaderException("this instance does not lead");
    }
    try (PreparedStatement ps =
            c.prepareStatement("SELECT epoch FROM leader_epoch WHERE id = 1 FOR SHARE");
        ResultSet rs = ps.executeQuery()) {
      long current = rs.next() ? rs.getLong(1) : 0;
      if (current != epoch) {
        throw new NotLeaderException(
            "leader epoch " + epoch + " is over: the leader's epoch is now " + current);
      }
    }
  }
}
