package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.Phase;
import java.time.Duration;
import java.util.Map;

/**
 * One command of a plan.
 *
 * @param seq position in the plan, from 1
 * @param phase the phase it belongs to
 * @param group steps of one group run in parallel; groups run one after the other, in order
 * @param agentId the agent that executes it
 * @param type the command
 * @param targetVersion the version it prepares, starts or migrates to, or {@code null}
 * @param params the command's parameters
 * @param timeout how long the step may take before it is TIMED_OUT: the most it can take
 * @param estimate how long it is expected to take: what the same command of the same agent took in
 *     the cluster's last upgrade that ran it, or {@code null} when none did
 */
public record PlannedStep(
    int seq,
    Phase phase,
    int group,
    String agentId,
    CommandType type,
    String targetVersion,
    Map<String, String> params,
    Duration timeout,
    Duration estimate) {

  public PlannedStep {
    params = Map.copyOf(params);
  }

  /** A step without an estimate. */
  public PlannedStep(
      int seq,
      Phase phase,
      int group,
      String agentId,
      CommandType type,
      String targetVersion,
      Map<String, String> params,
      Duration timeout) {
    this(seq, phase, group, agentId, type, targetVersion, params, timeout, null);
  }

  /** This step expected to take {@code expected} (or {@code null}: not known). */
  public PlannedStep withEstimate(Duration expected) {
    return new PlannedStep(
        seq, phase, group, agentId, type, targetVersion, params, timeout, expected);
  }
}
