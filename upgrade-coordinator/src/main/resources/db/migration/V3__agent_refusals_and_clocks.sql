-- What the registry adds to an agent's last accepted heartbeat: how far its clock is from the
-- coordinator's (its heartbeat's time minus the time the coordinator received it), and why its latest
-- messages were refused, if they were (a contract version this coordinator cannot talk to, a signature
-- that does not verify with its key): preflight names such agents instead of waiting for them.
ALTER TABLE agent ADD COLUMN clock_offset_ms bigint;
ALTER TABLE agent ADD COLUMN refusal text;
ALTER TABLE agent ADD COLUMN refused_at timestamptz;
