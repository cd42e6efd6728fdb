package io.kestra.upgrade.coordinator.outage;

import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.outage.JudgementHold.Outage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This instance's {@link JudgementHold}, on the coordinator's clock, one LOST interval long
 * (heartbeat interval × lost-after-intervals), fed by what sees the outages and the changes: the
 * leader election, the heartbeats' rebalance listener, the broker watch, the sweep's own database
 * calls.
 *
 * <p>A takeover (this instance became leader) holds longer: one LOST interval plus the heartbeats
 * consumer's session timeout. A leader that died or froze was also a member of the heartbeats'
 * consumer group; the partitions it read stay unread until its session expires and the group gives
 * them to a live instance, and only then can their agents be heard again. Held for one LOST
 * interval only, the new leader would judge those agents in the gap between the end of its hold and
 * the reassignment, and declare LOST agents that were sending heartbeats all along.
 */
@ApplicationScoped
public class Judgement {

  private static final Logger LOG = Logger.getLogger(Judgement.class);

  private final JudgementHold hold;
  private final Clock clock;
  private final Duration length;
  private final Duration takeover;

  public Judgement(
      CoordinatorConfig config,
      Clock clock,
      @ConfigProperty(name = HEARTBEATS_SESSION_TIMEOUT, defaultValue = "45000")
          long heartbeatsSessionTimeoutMs) {
    this.length =
        config.fleet().heartbeatInterval().multipliedBy(config.fleet().lostAfterIntervals());
    Duration session = Duration.ofMillis(heartbeatsSessionTimeoutMs);
    this.takeover = length.plus(session);
    this.hold = new JudgementHold(length);
    this.clock = clock;
    if (length.compareTo(session) <= 0) {
      LOG.warnf(
          "an agent is LOST after %s of silence, no longer than the heartbeats consumer's session"
              + " timeout (%s = %s): when a coordinator instance dies, the agents whose heartbeats"
              + " it read may be declared LOST by another before their partitions reach it",
          length, HEARTBEATS_SESSION_TIMEOUT, session);
    }
  }

  /** The heartbeats channel's consumer session timeout, in milliseconds. */
  static final String HEARTBEATS_SESSION_TIMEOUT =
      "mp.messaging.incoming.heartbeats.session.timeout.ms";

  /** Holds judgement for one LOST interval from now. */
  public void hold(String why) {
    hold.hold(why, clock.instant());
    LOG.infof("judgement of agents and deadlines held for %s: %s", length, why);
  }

  /**
   * Holds judgement from now for one LOST interval plus the heartbeats' session timeout: this
   * instance took over from another that may have died with some heartbeats' partitions.
   */
  public void holdForTakeover(String why) {
    hold.hold(why, clock.instant(), takeover);
    LOG.infof("judgement of agents and deadlines held for %s: %s", takeover, why);
  }

  /** A call to the database failed for want of the database. */
  public void databaseFailed() {
    if (hold.outageBegan(Outage.DATABASE)) {
      LOG.warn(
          "the database is out: no agent is declared LOST and no step times out until it is back");
    }
  }

  /** A call to the database succeeded. */
  public void databaseAnswered() {
    if (hold.outageEnded(Outage.DATABASE, clock.instant())) {
      LOG.infof("the database is back: judgement held for %s", length);
    }
  }

  /** What the channels' readiness says of the broker now. */
  public void brokerReachable(boolean reachable) {
    if (!reachable && hold.outageBegan(Outage.BROKER)) {
      LOG.warn(
          "the broker is unreachable: no agent is declared LOST and no step times out until it is"
              + " back");
    } else if (reachable && hold.outageEnded(Outage.BROKER, clock.instant())) {
      LOG.infof("the broker is back: judgement held for %s", length);
    }
  }

  /** Whether the sweep may judge now. */
  public boolean mayJudge() {
    return hold.mayJudge(clock.instant());
  }

  /** Where the hold stands now. */
  public JudgementHold.State state() {
    return hold.state(clock.instant());
  }
}
