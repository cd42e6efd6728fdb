package io.kestra.upgrade.coordinator.outage;

import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.outage.JudgementHold.Outage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * This instance's {@link JudgementHold}, on the coordinator's clock, one LOST interval long
 * (heartbeat interval × lost-after-intervals), fed by what sees the outages and the changes: the
 * leader election, the heartbeats' rebalance listener, the broker watch, the sweep's own database
 * calls.
 */
@ApplicationScoped
public class Judgement {

  private static final Logger LOG = Logger.getLogger(Judgement.class);

  private final JudgementHold hold;
  private final Clock clock;
  private final Duration length;

  public Judgement(CoordinatorConfig config, Clock clock) {
    this.length =
        config.fleet().heartbeatInterval().multipliedBy(config.fleet().lostAfterIntervals());
    this.hold = new JudgementHold(length);
    this.clock = clock;
  }

  /** Holds judgement for one LOST interval from now. */
  public void hold(String why) {
    hold.hold(why, clock.instant());
    LOG.infof("judgement of agents and deadlines held for %s: %s", length, why);
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
