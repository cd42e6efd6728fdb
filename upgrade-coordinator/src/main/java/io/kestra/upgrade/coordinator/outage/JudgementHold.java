package io.kestra.upgrade.coordinator.outage;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Whether the deadline sweep may judge (declare agents LOST, time steps out) at a given time. It
 * may not while the coordinator's own database or broker is out (what it would judge is its own
 * outage, not the agents'), nor for one hold (one LOST interval) after something made what it knows
 * of the agents stale: this instance became leader, the heartbeats' partitions were assigned to it,
 * an outage ended. Within a hold every live agent has time to be heard again.
 *
 * <p>Clock-free: every call is given the time, so the same calls give the same answers.
 */
public final class JudgementHold {

  /** What of the coordinator's own can be out. */
  public enum Outage {
    DATABASE,
    BROKER
  }

  /**
   * Where the hold stands.
   *
   * @param mayJudge whether the sweep may judge now
   * @param heldUntil until when the last hold lasts (in the past once over), or {@code null} if
   *     never held
   * @param reason why the last hold began, or {@code null}
   * @param outages what is out now
   */
  public record State(boolean mayJudge, Instant heldUntil, String reason, Set<Outage> outages) {}

  private final Duration length;
  private final Set<Outage> out = EnumSet.noneOf(Outage.class);
  private Instant heldUntil;
  private String reason;

  /**
   * @param length how long a hold lasts: one LOST interval
   */
  public JudgementHold(Duration length) {
    if (length.isNegative()) {
      throw new IllegalArgumentException("a hold cannot last " + length);
    }
    this.length = length;
  }

  /** Holds judgement from {@code now} for one hold (a longer hold under way is kept). */
  public synchronized void hold(String why, Instant now) {
    hold(why, now, length);
  }

  /**
   * Holds judgement from {@code now} for {@code longer} (a longer hold under way is kept): for what
   * leaves the agents' heartbeats unread for a while before they can be read again.
   */
  public synchronized void hold(String why, Instant now, Duration longer) {
    if (longer.isNegative()) {
      throw new IllegalArgumentException("a hold cannot last " + longer);
    }
    Instant until = now.plus(longer);
    if (heldUntil == null || until.isAfter(heldUntil)) {
      heldUntil = until;
      reason = Objects.requireNonNull(why, "why");
    }
  }

  /**
   * {@code what} is out from now on.
   *
   * @return whether it was up until now
   */
  public synchronized boolean outageBegan(Outage what) {
    return out.add(what);
  }

  /**
   * {@code what} is up again: judgement is held for one hold from {@code now} when it was out.
   *
   * @return whether it was out until now
   */
  public synchronized boolean outageEnded(Outage what, Instant now) {
    if (!out.remove(what)) {
      return false;
    }
    hold(what.name().toLowerCase(java.util.Locale.ROOT) + " back after an outage", now);
    return true;
  }

  /** Whether the sweep may judge at {@code now}. */
  public synchronized boolean mayJudge(Instant now) {
    return out.isEmpty() && (heldUntil == null || !now.isBefore(heldUntil));
  }

  /** Where the hold stands at {@code now}. */
  public synchronized State state(Instant now) {
    return new State(mayJudge(now), heldUntil, reason, Set.copyOf(out));
  }
}
