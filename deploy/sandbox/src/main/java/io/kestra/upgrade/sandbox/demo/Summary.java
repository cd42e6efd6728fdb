package io.kestra.upgrade.sandbox.demo;

import java.util.Map;

/**
 * What a sandbox demo measured; written as JSON by {@code --summary FILE}.
 *
 * @param platform where the fleet ran: {@code process} or {@code compose}
 * @param state the upgrade's final state
 * @param upgradeId the upgrade; null for a naive upgrade, which has none
 * @param fromVersion the fleet's version before
 * @param toVersion the target
 * @param totalMs the upgrade's duration, from RUNNING to its end
 * @param apiDowntimeMs how long the Kestra API did not answer, per the 50 ms probe
 * @param apiFailedRequests the probe's calls that failed
 * @param coordinatorOverheadMs null for a naive upgrade; otherwise {@code totalMs} minus the time
 *     the components worked: the sum, over the groups of steps run one after the other, of the span
 *     from the first step's acceptance to the last step's final answer. What remains is the
 *     coordinator's own time plus the Kafka hops between a final answer and the next group's
 *     command.
 * @param phases each phase's duration; null for a naive upgrade
 * @param longTasksDoneMs when, after the upgrade began, the last execution already created then
 *     completed (null if one never did)
 * @param tasks what happened to Kestra's work
 * @param apiProbe the probe's counts
 * @param executorsDownMs how long no executor ran (nothing was processed): from the last executor's
 *     stop to the first executor's start on the target, by the upgrade's steps; null for a naive
 *     upgrade
 */
public record Summary(
    String platform,
    String state,
    String upgradeId,
    String fromVersion,
    String toVersion,
    long totalMs,
    long apiDowntimeMs,
    long apiFailedRequests,
    Long coordinatorOverheadMs,
    Map<String, Long> phases,
    Long longTasksDoneMs,
    Tasks tasks,
    Probe apiProbe,
    Long executorsDownMs) {

  /**
   * Kestra's executions and task runs over the whole demo.
   *
   * @param created executions created
   * @param completed executions completed
   * @param running executions still running when the demo ended (created after the upgrade: the
   *     demo waits for every execution created before its end to complete)
   * @param forced task runs abandoned by a worker forced at the end of its grace period
   * @param resubmitted task runs resubmitted by the executor
   * @param lost executions nothing will ever complete
   * @param dropped executions created (the stand-in's ledger says) that a rollback's restore took
   *     back: the rollback's second backup holds them
   */
  public record Tasks(
      long created,
      long completed,
      long running,
      long forced,
      long resubmitted,
      long lost,
      long dropped) {}

  /**
   * The API probe.
   *
   * @param requests calls made
   * @param failed calls that failed
   * @param downtimeMs total time down
   * @param longestOutageMs longest single outage
   */
  public record Probe(long requests, long failed, long downtimeMs, long longestOutageMs) {}
}
