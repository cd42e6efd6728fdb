package io.kestra.upgrade.coordinator.leader;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Elects one leader among the coordinator instances sharing a database: the holder of a PostgreSQL
 * advisory lock ({@code pg_try_advisory_lock}) on a session of its own ({@link LockSession}).
 *
 * <ol>
 *   <li>Every {@code renewInterval} an instance that does not lead tries the lock.
 *   <li>Having it, it bumps the epoch row in the same session ({@link Fence}: the bump waits for
 *       the old leader's leader-only transaction in flight), listens on {@code wakeChannel}, and
 *       leads with that epoch.
 *   <li>A leader renews every {@code renewInterval} with a cheap query (reading the epoch row,
 *       which must still be its own), and in between waits for notifications on its session: other
 *       instances' commits that leave it work.
 *   <li>Any failure of the session (terminated by the server after a freeze, dropped, timed out)
 *       ends the leadership at once: the listener is told, the session closed, and the instance
 *       tries again as any other.
 * </ol>
 *
 * <p>Plain Java, with its own thread: JDBC's blocking calls, a session that must not be shared, and
 * notifications that only pgjdbc's own API delivers have no library above them here.
 */
public final class LeaderElector implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LeaderElector.class);

  /** What the elector tells as it happens, on its own thread. */
  public interface Listener {

    /** This instance leads from now on, with {@code epoch}. */
    void elected(long epoch);

    /** This instance no longer leads ({@code epoch} is over), for {@code why}. */
    void deposed(long epoch, String why);

    /** While leading: a notification arrived on the wake channel. */
    void woken();
  }

  /** Opens lock sessions. */
  @FunctionalInterface
  public interface Sessions {
    Connection open() throws SQLException;
  }

  private final Sessions sessions;
  private final long lockKey;
  private final String holder;
  private final String wakeChannel;
  private final Duration renewInterval;
  private final Listener listener;
  private volatile long epoch;
  private volatile boolean running;
  private Thread thread;
  private Connection session;

  /**
   * @param lockKey the advisory lock's key, the same for every instance of one installation
   * @param holder this instance's name, written with the epoch
   * @param wakeChannel the {@code NOTIFY} channel a leader listens on
   */
  public LeaderElector(
      Sessions sessions,
      long lockKey,
      String holder,
      String wakeChannel,
      Duration renewInterval,
      Listener listener) {
    if (!wakeChannel.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a channel name: " + wakeChannel);
    }
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.lockKey = lockKey;
    this.holder = Objects.requireNonNull(holder, "holder");
    this.wakeChannel = wakeChannel;
    this.renewInterval = Objects.requireNonNull(renewInterval, "renewInterval");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Starts trying to lead, on a thread of its own. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "leader-election");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether this instance leads now. */
  public boolean isLeader() {
    return epoch > 0;
  }

  /** The epoch this instance leads with; 0 when it does not lead. */
  public long epoch() {
    return epoch;
  }

  /** Stops: a leader steps down and its session ends, which frees the lock for another. */
  @Override
  public void close() {
    running = false;
    Thread t;
    synchronized (this) {
      t = thread;
      thread = null;
    }
    if (t == null) {
      return;
    }
    try {
      t.join(renewInterval.multipliedBy(3).toMillis() + 10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    while (running) {
      try {
        if (session == null) {
          session = sessions.open();
        }
        if (epoch == 0) {
          tryToLead();
        } else {
          renew();
        }
        awaitNotifications();
      } catch (SQLException e) {
        lost(e);
        pause();
      }
    }
    stepDown("the instance is stopping");
    closeSession();
  }

  private void tryToLead() throws SQLException {
    try (Statement s = session.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + lockKey + ")")) {
      if (!rs.next() || !rs.getBoolean(1)) {
        return;
      }
    }
    long elected;
    try (PreparedStatement ps =
        session.prepareStatement(
            "UPDATE leader_epoch SET epoch = epoch + 1, holder = ?, elected_at = now()"
                + " WHERE id = 1 RETURNING epoch")) {
      ps.setString(1, holder);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the leader_epoch row is missing (migration V4 not applied?)");
        }
        elected = rs.getLong(1);
      }
    }
    try (Statement s = session.createStatement()) {
      s.execute("LISTEN " + wakeChannel);
    }
    epoch = elected;
    LOG.infof("%s leads, epoch %d", holder, elected);
    tell(() -> listener.elected(elected));
  }

  private void renew() throws SQLException {
    try (Statement s = session.createStatement();
        ResultSet rs = s.executeQuery("SELECT epoch FROM leader_epoch WHERE id = 1")) {
      long current = rs.next() ? rs.getLong(1) : 0;
      if (current != epoch) {
        // someone bumped the epoch without our lock: whoever it is, we do not lead any more
        throw new SQLException("the leader's epoch moved on to " + current + " under our lock");
      }
    }
  }

  private void awaitNotifications() throws SQLException {
    PGNotification[] notes =
        session.unwrap(PGConnection.class).getNotifications((int) renewInterval.toMillis());
    if (epoch > 0 && notes != null && notes.length > 0) {
      tell(listener::woken);
    }
  }

  private void lost(SQLException e) {
    if (epoch > 0) {
      LOG.warnf(e, "%s lost its lock session, epoch %d is over", holder, epoch);
    } else {
      LOG.debugf(e, "%s cannot use its lock session; trying again", holder);
    }
    stepDown("its lock session failed: " + e.getMessage());
    closeSession();
  }

  private void stepDown(String why) {
    long was = epoch;
    if (was == 0) {
      return;
    }
    epoch = 0;
    LOG.infof("%s no longer leads (epoch %d): %s", holder, was, why);
    tell(() -> listener.deposed(was, why));
  }

  private void closeSession() {
    if (session == null) {
      return;
    }
    try {
      session.close();
    } catch (SQLException e) {
      LOG.debugf(e, "%s: closing a failed lock session failed too", holder);
    }
    session = null;
  }

  private void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.errorf(e, "%s: a leadership listener failed (epoch %d)", holder, epoch);
    }
  }

  private void pause() {
    try {
      Thread.sleep(renewInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
