package io.kestra.sim.execution;

import java.util.List;

/**
 * One page of executions, newest first.
 *
 * @param total how many executions exist
 * @param results the page
 */
public record ExecutionPage(long total, List<Execution> results) {}
