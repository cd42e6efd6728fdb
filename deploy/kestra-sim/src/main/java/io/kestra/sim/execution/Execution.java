package io.kestra.sim.execution;

import java.time.Instant;

/**
 * An execution of a flow: one task run whose duration is chosen at creation.
 *
 * @param id execution id
 * @param namespace flow namespace
 * @param flowId flow id
 * @param state CREATED, RUNNING or SUCCESS
 * @param taskDurationMs how long its task runs
 * @param createdAt creation time
 * @param completedAt completion time, or null
 */
public record Execution(
    String id,
    String namespace,
    String flowId,
    String state,
    long taskDurationMs,
    Instant createdAt,
    Instant completedAt) {}
