package io.kestra.upgrade.coordinator.fleet;

import io.kestra.upgrade.common.AgentId;

/** An agent cannot be forgotten: an upgrade that is not over has a step for it. */
public class AgentBusyException extends RuntimeException {

  private final String upgradeId;

  public AgentBusyException(AgentId agentId, String upgradeId) {
    super("agent " + agentId + " has a step in upgrade " + upgradeId + ", which is not over");
    this.upgradeId = upgradeId;
  }

  /** The upgrade that has a step for the agent. */
  public String upgradeId() {
    return upgradeId;
  }
}
