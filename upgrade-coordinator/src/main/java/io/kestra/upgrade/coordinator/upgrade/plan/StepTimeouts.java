package io.kestra.upgrade.coordinator.upgrade.plan;

import java.time.Duration;

/**
 * The default deadlines of steps, by command. A STOP's deadline is derived from the grace period:
 * grace + kill margin + {@code stopSlack}, so that an agent that kills a hung server still answers
 * in time.
 *
 * @param ping PING (VERIFY)
 * @param prepare PREPARE
 * @param start START, and the START half of a RESTART
 * @param migrate MIGRATE
 * @param backup BACKUP and RESTORE
 * @param stopSlack added to grace + margin for a STOP
 */
public record StepTimeouts(
    Duration ping,
    Duration prepare,
    Duration start,
    Duration migrate,
    Duration backup,
    Duration stopSlack) {}
