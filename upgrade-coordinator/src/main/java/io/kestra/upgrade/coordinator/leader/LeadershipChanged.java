package io.kestra.upgrade.coordinator.leader;

/**
 * A CDI event: this instance became the leader, or stopped being it. Fired on the election's
 * thread; observers act at once (the relay starts or stops).
 *
 * @param leader whether this instance leads from now on
 * @param epoch the epoch that begins, or that is over
 */
public record LeadershipChanged(boolean leader, long epoch) {}
