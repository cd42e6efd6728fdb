package io.kestra.upgrade.coordinator.leader;

/**
 * A CDI event on the leader: a transaction of some instance committed work for it (outbox rows), as
 * {@code NOTIFY} on {@link LeaderElection#WAKE_CHANNEL} said.
 */
public record LeaderWoken() {}
