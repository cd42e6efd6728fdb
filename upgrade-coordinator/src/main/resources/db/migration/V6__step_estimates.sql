-- What each step was expected to take when it was planned (what the same command of the same agent
-- took in the cluster's last upgrade that ran it), shown against what it took; null: not known.
ALTER TABLE upgrade_step ADD COLUMN estimate_ms bigint;

-- the planner reads the last successful duration of each agent's commands in the cluster
CREATE INDEX upgrade_step_by_agent ON upgrade_step (agent_id, command_type) WHERE state = 'SUCCEEDED';
