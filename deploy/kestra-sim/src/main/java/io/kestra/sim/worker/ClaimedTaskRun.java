package io.kestra.sim.worker;

/**
 * A task run a worker claimed.
 *
 * @param id task run id
 * @param executionId its execution
 * @param durationMs how long it runs
 * @param attempt 1, or more after re-emissions
 */
record ClaimedTaskRun(String id, String executionId, long durationMs, int attempt) {}
