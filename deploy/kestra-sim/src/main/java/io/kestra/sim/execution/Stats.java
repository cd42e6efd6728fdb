package io.kestra.sim.execution;

import java.util.OptionalLong;

/**
 * What a test or a downtime probe wants to know about the work of a fleet.
 *
 * @param created executions created
 * @param completed executions in SUCCESS
 * @param forced task runs abandoned by a force-terminated worker
 * @param resubmitted task runs re-emitted by a liveness coordinator
 * @param running executions not completed
 * @param lost executions that nothing will ever complete: a RUNNING task run that no worker holds,
 *     or that a worker holds which terminated gracefully (it must have finished it) or is gone
 * @param pendingBefore executions created before the asked instant and not completed, if asked
 * @param dropped executions the fleet created (its ledger says) that the database no longer holds:
 *     a restore took them back; empty without a ledger
 * @param droppedIds the first 100 of them
 */
public record Stats(
    long created,
    long completed,
    long forced,
    long resubmitted,
    long running,
    long lost,
    OptionalLong pendingBefore,
    OptionalLong dropped,
    java.util.List<String> droppedIds) {}
